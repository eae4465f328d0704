//! The `regsim` binary's allocator: the system allocator, asking Linux to back large
//! blocks (the domain slots, the name arena and index of a big portfolio) with 2 MiB
//! transparent huge pages, and to collapse a large block back into huge pages when
//! `realloc` has moved it.
//!
//! A portfolio run reads its tables at random: with 4 KiB pages nearly every access to a
//! 10M-domain table misses the TLB as well as the cache. This machine's kernel grants huge
//! pages only on request (`transparent_hugepage` = `madvise`), so large blocks are
//! requested with `madvise(MADV_HUGEPAGE)`, as glibc's own `glibc.malloc.hugetlb=1` tunable
//! would do. Measured on the 10M × 10-year run (two runs side by side, one with and one
//! without): 361 s against 390 s, for 0.6% more memory. A block that grows is moved by
//! glibc with `mremap`, which splits its huge pages: the domain slots of a generated
//! portfolio outgrew their reserved room early in the run and were read through 4 KiB
//! pages from then on, which cost the 10M run a fifth of its time (250 s against 202 s
//! once the room was made larger, see `World::reserve_domains`). Moved blocks are
//! therefore collapsed again at once (only moved ones: a block grown in place keeps its
//! huge pages).
//! Elsewhere, and for small blocks, it is the system allocator unchanged.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Bytes handed out and not yet freed, when this allocator is the process's.
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// Set by the first allocation through this allocator.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The heap the process holds now (bytes allocated and not freed), when the `regsim`
/// binary's allocator is in use; `None` elsewhere (the library's tests), where no
/// memory budget can be kept.
pub(crate) fn live_bytes() -> Option<usize> {
    ACTIVE
        .load(Ordering::Relaxed)
        .then(|| LIVE.load(Ordering::Relaxed))
}

fn allocated(size: usize) {
    LIVE.fetch_add(size, Ordering::Relaxed);
    ACTIVE.store(true, Ordering::Relaxed);
}

/// Blocks at least this large are advised (glibc serves them by `mmap` anyway).
const LARGE: usize = 4 << 20;

/// The system allocator with huge pages for large blocks (see the module docs).
pub struct HugePages;

/// Kernel advice for a block's memory.
#[derive(Clone, Copy)]
enum Advice {
    /// Back it with huge pages as it is touched (`MADV_HUGEPAGE`).
    HugePages,
    /// Copy what it holds into huge pages now (`MADV_COLLAPSE`, Linux 6.1). glibc moves
    /// a large block that grows with `mremap`, which splits its huge pages into 4 KiB
    /// pages, and the kernel would collapse them back only slowly in the background: a
    /// table that grew once during a run was then read at random through 4 KiB pages for
    /// the rest of it. An older kernel refuses the advice, which is harmless.
    Collapse,
}

/// Gives the kernel `advice` for the whole huge pages inside the first `size` bytes of a
/// large block at `ptr`.
#[cfg(target_os = "linux")]
fn advise(ptr: *mut u8, size: usize, advice: Advice) {
    const HUGE: usize = 2 << 20;
    /// `MADV_COLLAPSE` in the kernel's ABI (the `libc` crate names it for glibc only).
    const MADV_COLLAPSE: libc::c_int = 25;
    if ptr.is_null() || size < LARGE {
        return;
    }
    // Only whole huge pages inside the block.
    let start = (ptr as usize).next_multiple_of(HUGE);
    let end = (ptr as usize + size) / HUGE * HUGE;
    let advice = match advice {
        Advice::HugePages => libc::MADV_HUGEPAGE,
        Advice::Collapse => MADV_COLLAPSE,
    };
    if end > start {
        // SAFETY: the range lies inside a block this allocator just handed out; the
        // advice changes how the kernel backs it, never its contents, and a refusal
        // (an error return) is harmless.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, advice);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_: *mut u8, _: usize, _: Advice) {}

// SAFETY: every call is forwarded to `System` with the same arguments; `advise` only
// gives the kernel a hint about memory `System` returned.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            allocated(layout.size());
        }
        advise(p, layout.size(), Advice::HugePages);
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            allocated(layout.size());
        }
        advise(p, layout.size(), Advice::HugePages);
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            allocated(new_size);
        }
        // A block grown in place keeps its advice and its huge pages (the mapping is
        // extended with its flags); only a block that moved, or that just became large,
        // is advised. (Advising and collapsing after every growth cost a string grown a
        // byte at a time to 16 MB 18 s of kernel time in 207k calls.)
        if p != ptr || layout.size() < LARGE {
            advise(p, new_size, Advice::HugePages);
        }
        if p != ptr {
            advise(p, layout.size().min(new_size), Advice::Collapse);
        }
        p
    }
}
