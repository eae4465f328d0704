//! The sandboxed module resolver: `import "name"` loads `name.rhai` from the
//! scenario's folder, else from the project's `scripts/` folder; nothing else on the
//! file system is reachable.

use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Resolves imports inside a fixed set of folders.
pub(crate) struct SandboxResolver {
    /// The folders, as their real paths (symbolic links resolved).
    roots: Vec<PathBuf>,
    cache: RefCell<BTreeMap<PathBuf, Shared<Module>>>,
    /// The modules being loaded, outermost first: an import of one of them is a cycle.
    loading: RefCell<Vec<PathBuf>>,
}

impl SandboxResolver {
    /// A resolver searching `roots` in order.
    pub fn new(roots: Vec<PathBuf>) -> Self {
        SandboxResolver {
            roots: roots
                .into_iter()
                .map(|r| r.canonicalize().unwrap_or(r))
                .collect(),
            cache: RefCell::new(BTreeMap::new()),
            loading: RefCell::new(Vec::new()),
        }
    }

    fn find(&self, path: &str) -> Result<PathBuf, String> {
        let rel = Path::new(path);
        let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
        if path.is_empty() || !plain {
            return Err(format!(
                "import \"{path}\" is refused: imports name a module inside the scenario's folder or scripts/, without `..` or an absolute path"
            ));
        }
        let file = rel.with_extension("rhai");
        let found = self
            .roots
            .iter()
            .map(|r| (r, r.join(&file)))
            .find(|(_, p)| p.is_file());
        if let Some((root, p)) = &found {
            // The real path must stay inside the folder: a symbolic link out of it is
            // refused before anything of its target is read.
            let real = p
                .canonicalize()
                .map_err(|e| format!("{}: {e}", p.display()))?;
            if !real.starts_with(root) {
                return Err(format!(
                    "import \"{path}\" is refused: {} leads outside {} (a symbolic link)",
                    p.display(),
                    root.display()
                ));
            }
            return Ok(real);
        }
        found.map(|(_, p)| p).ok_or_else(|| {
            format!(
                "module \"{path}\" not found in {}",
                self.roots
                    .iter()
                    .map(|r| r.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        })
    }
}

impl ModuleResolver for SandboxResolver {
    fn resolve(
        &self,
        engine: &Engine,
        _source: Option<&str>,
        path: &str,
        pos: Position,
    ) -> Result<Shared<Module>, Box<EvalAltResult>> {
        let file = self
            .find(path)
            .map_err(|m| EvalAltResult::ErrorRuntime(m.into(), pos))?;
        if let Some(m) = self.cache.borrow().get(&file) {
            return Ok(m.clone());
        }
        if self.loading.borrow().contains(&file) {
            let chain: Vec<String> = self
                .loading
                .borrow()
                .iter()
                .chain([&file])
                .map(|p| p.display().to_string())
                .collect();
            return Err(EvalAltResult::ErrorRuntime(
                format!("import cycle: {}", chain.join(" imports ")).into(),
                pos,
            )
            .into());
        }
        let text = crate::files::read_text(&file).map_err(|e| {
            EvalAltResult::ErrorModuleNotFound(format!("{}: {e}", file.display()), pos)
        })?;
        let mut ast = engine.compile(&text).map_err(|e| {
            Box::new(EvalAltResult::ErrorInModule(
                file.display().to_string(),
                Box::new(e.into()),
                pos,
            ))
        })?;
        ast.set_source(file.display().to_string());
        self.loading.borrow_mut().push(file.clone());
        let module = Module::eval_ast_as_new(Scope::new(), &ast, engine);
        self.loading.borrow_mut().pop();
        let module = module.map_err(|e| {
            Box::new(EvalAltResult::ErrorInModule(
                file.display().to_string(),
                e,
                pos,
            ))
        })?;
        let module: Shared<Module> = module.into();
        self.cache.borrow_mut().insert(file, module.clone());
        Ok(module)
    }
}
