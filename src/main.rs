//! The `regsim` command.

/// Large tables on transparent huge pages (see [`regsim::alloc`]).
#[global_allocator]
static GLOBAL: regsim::alloc::HugePages = regsim::alloc::HugePages;

fn main() {
    std::process::exit(regsim::cli::main());
}
