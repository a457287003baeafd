//! The Python import system, statically: where a dotted module lives under the import root,
//! what a name in a module refers to, following `import` chains across files.
//!
//! Modules are parsed on first use and cached; nothing is imported or executed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::facts::{Expr, ExprKind, FunctionFacts, Import, ModuleFacts};
use super::read::{parser_thread, read_python, read_python_here};
use crate::diagnostic::{Code, Diagnostic, Position};

/// What a name refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Symbol {
    /// A class defined in a module under the import root.
    Class {
        /// The dotted module that defines it.
        module: String,
        /// The class name.
        name: String,
    },
    /// A module-level function under the import root.
    Function {
        /// The dotted module that defines it.
        module: String,
        /// The function name.
        name: String,
    },
    /// A module-level assignment under the import root.
    Value {
        /// The dotted module that assigns it.
        module: String,
        /// The assigned expression.
        value: Expr,
    },
    /// A module under the import root.
    Module(String),
    /// A name outside the import root, fully qualified: `pydantic.BaseModel`, `builtins.str`.
    External(String),
    /// A name that should be under the import root but is not there.
    Unresolved(Unresolved),
}

/// Why a name could not be resolved, and the import that named it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unresolved {
    /// The file of the failing import, as displayed.
    pub path: String,
    /// The place of the failing import.
    pub at: Position,
    /// What is missing.
    pub message: String,
}

/// One module an import statement loads.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedModule {
    /// The absolute dotted name.
    pub name: String,
    /// Where the import names it.
    pub at: Position,
    /// No such module and no such name: the import fails when the server starts.
    pub missing: bool,
}

/// A loaded module.
#[derive(Debug, Clone)]
pub struct Module {
    /// The dotted name, e.g. `app.ws.persona.search`.
    pub name: String,
    /// The file, as displayed in diagnostics.
    pub display: String,
    /// The file relative to the import root, with `/` separators.
    pub relative: String,
    /// `__init__.py` of a package?
    pub is_package: bool,
    /// The extracted facts; `None` when the file could not be read or parsed.
    pub facts: Option<Arc<ModuleFacts>>,
}

/// The tree of Python modules under one import root.
pub struct PythonTree {
    root: PathBuf,
    /// The root with links resolved, for telling a misplaced root.
    canonical_root: PathBuf,
    loaded: HashMap<String, Option<Arc<Module>>>,
    /// What [`PythonTree::module_file`] found for each name asked: a resolution asks the same
    /// names many times, and each answer costs two file-system lookups.
    files: Mutex<HashMap<String, Option<(PathBuf, bool)>>>,
    /// What [`PythonTree::owns`] found for each top-level name.
    owned: Mutex<HashMap<String, bool>>,
    diagnostics: Vec<Diagnostic>,
}

/// Longest chain of re-exports followed; a longer one is reported where it is cut.
const MAX_IMPORT_HOPS: usize = 256;

impl PythonTree {
    /// A tree rooted at the import root `root` (the folder that holds the top-level packages).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        PythonTree {
            canonical_root: std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone()),
            root,
            loaded: HashMap::new(),
            files: Mutex::new(HashMap::new()),
            owned: Mutex::new(HashMap::new()),
            diagnostics: Vec::new(),
        }
    }

    /// The import root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Diagnostics from reading and parsing modules so far.
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }

    /// The dotted module name of a `.py` file under the root.
    pub fn module_name(&self, file: &Path) -> Option<String> {
        let relative = file.strip_prefix(&self.root).ok()?;
        let mut parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let last = parts.pop()?;
        let stem = last.strip_suffix(".py")?;
        if stem != "__init__" {
            parts.push(stem.to_owned());
        }
        Some(parts.join("."))
    }

    /// The file that defines a dotted module: its package `__init__.py`, else `<name>.py`.
    /// A package wins over a module of the same name, as in Python.
    pub fn module_file(&self, name: &str) -> Option<(PathBuf, bool)> {
        let mut files = self.files.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = files.get(name) {
            return found.clone();
        }
        let found = self.find_module_file(name);
        files.insert(name.to_owned(), found.clone());
        found
    }

    fn find_module_file(&self, name: &str) -> Option<(PathBuf, bool)> {
        if name.is_empty() {
            let init = self.root.join("__init__.py");
            return init.is_file().then_some((init, true));
        }
        let base = name
            .split('.')
            .fold(self.root.clone(), |path, part| path.join(part));
        let init = base.join("__init__.py");
        if init.is_file() {
            return Some((init, true));
        }
        let file = base.with_extension("py");
        file.is_file().then_some((file, false))
    }

    /// True when `name` is a compiled extension module (`name.*.so`, `.pyd`) or only a stub
    /// (`name.pyi`): it exists, but its contents cannot be read.
    pub fn is_compiled_module(&self, name: &str) -> bool {
        let mut parts: Vec<&str> = name.split('.').collect();
        let Some(last) = parts.pop() else {
            return false;
        };
        let dir = parts
            .iter()
            .fold(self.root.clone(), |path, part| path.join(part));
        if dir.join(format!("{last}.pyi")).is_file() {
            return true;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return false;
        };
        entries.flatten().any(|entry| {
            let file = entry.file_name();
            let file = file.to_string_lossy();
            file.starts_with(&format!("{last}."))
                && (file.ends_with(".so") || file.ends_with(".pyd"))
        })
    }

    /// True when `name` is a folder without `__init__.py` (a namespace package).
    pub fn is_namespace_package(&self, name: &str) -> bool {
        let dir = name
            .split('.')
            .fold(self.root.clone(), |path, part| path.join(part));
        !name.is_empty() && dir.is_dir() && !dir.join("__init__.py").is_file()
    }

    /// True when the first segment of `name` is a package or module under the root: imports of
    /// such names are the server's own and must resolve.
    pub fn owns(&self, name: &str) -> bool {
        let top = name.split('.').next().unwrap_or_default();
        if top.is_empty() {
            return false;
        }
        let mut owned = self.owned.lock().unwrap_or_else(PoisonError::into_inner);
        *owned.entry(top.to_owned()).or_insert_with(|| {
            self.root.join(top).is_dir() || self.root.join(format!("{top}.py")).is_file()
        })
    }

    /// An absolute import of a module named like a folder the import root lies in (`from app.x`
    /// with the root at `core/app`): the server's own code, missed because the root is wrong —
    /// reported rather than taken for a third-party package.
    fn misrooted(&self, module: &Module, imported: &str, at: Position) -> Option<Unresolved> {
        let top = imported.split('.').next()?;
        let inside = self
            .canonical_root
            .components()
            .any(|part| part.as_os_str() == top);
        inside.then(|| Unresolved {
            path: module.display.clone(),
            at,
            message: format!(
                "`{imported}` is not under the import root `{}`, which lies inside a folder named `{top}`: the root is probably one level too deep (pass --python-path)",
                self.display(&self.root)
            ),
        })
    }

    /// Every file loaded so far (parsed or not), sorted.
    pub fn files_read(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .loaded
            .values()
            .flatten()
            .map(|module| PathBuf::from(&module.display))
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// Parses `files` and, wave by wave, the modules under the root they import, on every core:
    /// what [`PythonTree::load`] would read one file at a time, read ahead in parallel. Loading
    /// stays lazy and exact: a module preloaded is one `load` returns, and nothing else changes.
    pub fn preload(&mut self, files: &[PathBuf]) {
        let mut wave: Vec<String> = files
            .iter()
            .filter_map(|file| self.module_name(file))
            .filter(|name| !self.loaded.contains_key(name))
            .collect();
        while !wave.is_empty() {
            wave.sort();
            wave.dedup();
            let parsed = self.parse_all(&wave);
            let mut next = Vec::new();
            for (name, module, diagnostic) in parsed {
                self.diagnostics.extend(diagnostic);
                if let Some(module) = &module {
                    next.extend(self.imported_names(module));
                }
                self.loaded.insert(name, module);
            }
            next.retain(|name| !self.loaded.contains_key(name) && self.module_file(name).is_some());
            wave = next;
        }
    }

    /// The modules under the root that `module`'s imports may name (its `from X import a`
    /// gives `X` and `X.a`) and the packages they sit in, without loading anything.
    fn imported_names(&self, module: &Module) -> Vec<String> {
        let Some(facts) = &module.facts else {
            return Vec::new();
        };
        let mut names = Vec::new();
        for import in &facts.imports {
            match import {
                Import::Module { name, .. } => names.push(name.clone()),
                Import::From {
                    level,
                    module: target,
                    names: imported,
                    ..
                } => {
                    let Some(base) = Self::absolute_import(module, *level, target.as_deref())
                    else {
                        continue;
                    };
                    names.extend(imported.iter().map(|n| join(&base, &n.name)));
                    names.push(base);
                }
            }
        }
        // Importing `a.b.c` runs the packages `a` and `a.b` first.
        let packages: Vec<String> = names
            .iter()
            .flat_map(|name| {
                name.match_indices('.')
                    .map(|(dot, _)| name[..dot].to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        names.extend(packages);
        names.retain(|name| self.owns(name));
        names
    }

    /// Reads and parses the modules `names` on every core, each on a parser thread; a module
    /// whose thread could not start is left out (to [`PythonTree::load`]).
    fn parse_all(
        &self,
        names: &[String],
    ) -> Vec<(String, Option<Arc<Module>>, Option<Diagnostic>)> {
        let parse_one = |name: &String| {
            let Some((file, is_package)) = self.module_file(name) else {
                return (name.clone(), None, None);
            };
            let display = self.display(&file);
            let (facts, diagnostic) = match read_python_here(&file, &display) {
                Ok(facts) => (Some(Arc::new(facts)), None),
                Err(diagnostic) => (None, Some(diagnostic)),
            };
            let module = Arc::new(Module {
                name: name.clone(),
                display,
                relative: self.relative(&file),
                is_package,
                facts,
            });
            (name.clone(), Some(module), diagnostic)
        };
        let (parsed, ()) = crate::parallel::map(names, parser_thread, parse_one, || ());
        parsed.into_iter().flatten().collect()
    }

    /// Loads (once) and returns the module `name`.
    pub fn load(&mut self, name: &str) -> Option<Arc<Module>> {
        if let Some(module) = self.loaded.get(name) {
            return module.clone();
        }
        let module = self.module_file(name).map(|(file, is_package)| {
            let display = self.display(&file);
            let facts = match read_python(&file, &display) {
                Ok(facts) => Some(Arc::new(facts)),
                Err(diagnostic) => {
                    self.diagnostics.push(diagnostic);
                    None
                }
            };
            Arc::new(Module {
                name: name.to_owned(),
                display,
                relative: self.relative(&file),
                is_package,
                facts,
            })
        });
        self.loaded.insert(name.to_owned(), module.clone());
        module
    }

    /// A file's path for diagnostics: as the user named the root.
    pub fn display(&self, file: &Path) -> String {
        file.to_string_lossy().replace('\\', "/")
    }

    /// A file's path relative to the import root, with `/` separators.
    pub fn relative(&self, file: &Path) -> String {
        let relative = file.strip_prefix(&self.root).unwrap_or(file);
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The absolute module a `from <dots><module> import` names, seen from `module`.
    /// `None` when the dots climb above the root.
    pub fn absolute_import(module: &Module, level: u32, target: Option<&str>) -> Option<String> {
        if level == 0 {
            return target.map(str::to_owned);
        }
        let mut package: Vec<&str> = if module.name.is_empty() {
            Vec::new()
        } else {
            module.name.split('.').collect()
        };
        if !module.is_package {
            package.pop()?;
        }
        for _ in 1..level {
            package.pop()?;
        }
        let mut parts: Vec<&str> = package;
        if let Some(target) = target {
            parts.extend(target.split('.'));
        }
        Some(parts.join("."))
    }

    /// The modules a module imports, as absolute dotted names with the place of the import.
    /// `import a.b` gives `a.b`; `from X import a` gives `X`, and `X.a` when that is a module.
    /// A relative `from . import a` whose `a` is neither a module nor a name `X` binds is
    /// returned as missing.
    pub fn imported_modules(&mut self, module: &Module) -> Vec<ImportedModule> {
        let mut imported = Vec::new();
        let Some(facts) = module.facts.clone() else {
            return imported;
        };
        for import in &facts.imports {
            match import {
                Import::Module { name, at, .. } => imported.push(ImportedModule {
                    name: name.clone(),
                    at: *at,
                    missing: false,
                }),
                Import::From {
                    level,
                    module: target,
                    names,
                    at,
                } => {
                    let Some(base) = Self::absolute_import(module, *level, target.as_deref())
                    else {
                        continue;
                    };
                    imported.push(ImportedModule {
                        name: base.clone(),
                        at: *at,
                        missing: false,
                    });
                    for name in names.iter().filter(|n| n.name != "*") {
                        let sub = join(&base, &name.name);
                        if self.module_file(&sub).is_some() || self.is_namespace_package(&sub) {
                            imported.push(ImportedModule {
                                name: sub,
                                at: name.at,
                                missing: false,
                            });
                        } else if *level > 0
                            && !self.binds(&base, &name.name)
                            && !self.is_compiled_module(&base)
                            && !self.is_compiled_module(&sub)
                        {
                            imported.push(ImportedModule {
                                name: sub,
                                at: name.at,
                                missing: true,
                            });
                        }
                    }
                }
            }
        }
        imported
    }

    /// True when the module `module` defines, assigns or imports `name`.
    fn binds(&mut self, module: &str, name: &str) -> bool {
        let Some(loaded) = self.load(module) else {
            return false;
        };
        let Some(facts) = loaded.facts.clone() else {
            return false;
        };
        facts.class(name).is_some()
            || facts.assignment(name).is_some()
            || facts.signature(name).is_some()
            || facts.imports.iter().any(|import| match import {
                Import::Module { name: n, alias, .. } => {
                    alias
                        .as_deref()
                        .unwrap_or_else(|| n.split('.').next().unwrap_or_default())
                        == name
                }
                Import::From {
                    level,
                    module: target,
                    names,
                    ..
                } => {
                    // `from . import x` inside package `p` binds `x` only if `p.x` exists.
                    let from_itself = Self::absolute_import(&loaded, *level, target.as_deref())
                        .is_some_and(|base| base == module);
                    !from_itself && names.iter().any(|n| n.local() == name || n.name == "*")
                }
            })
    }

    /// What `name` refers to inside the module `module`.
    pub fn resolve_name(&mut self, module: &str, name: &str) -> Symbol {
        let mut visited = HashSet::new();
        self.resolve_in(module, name, &mut visited)
    }

    /// What a dotted expression (`Model`, `types.Model`, `typing.Optional`) refers to in `module`.
    pub fn resolve_expr(&mut self, module: &str, expr: &Expr) -> Option<Symbol> {
        match &expr.kind {
            ExprKind::Name(name) => Some(self.resolve_name(module, name)),
            ExprKind::Attribute(value, attr) => Some(match self.resolve_expr(module, value)? {
                Symbol::Module(parent) => {
                    let mut visited = HashSet::new();
                    self.resolve_member(&parent, attr, &mut visited)
                }
                Symbol::External(parent) => Symbol::External(join(&parent, attr)),
                Symbol::Class { module, name } => {
                    Symbol::External(format!("{module}.{name}.{attr}"))
                }
                other => other,
            }),
            _ => None,
        }
    }

    /// `module.member`: a submodule, or a name the module binds.
    fn resolve_member(
        &mut self,
        module: &str,
        member: &str,
        visited: &mut HashSet<(String, String)>,
    ) -> Symbol {
        let sub = join(module, member);
        if self.module_file(&sub).is_some() {
            return Symbol::Module(sub);
        }
        self.resolve_in(module, member, visited)
    }

    fn resolve_in(
        &mut self,
        module_name: &str,
        name: &str,
        visited: &mut HashSet<(String, String)>,
    ) -> Symbol {
        if visited.len() > MAX_IMPORT_HOPS
            || !visited.insert((module_name.to_owned(), name.to_owned()))
        {
            return Symbol::External(format!("{module_name}.{name}"));
        }
        let Some(module) = self.load(module_name) else {
            return Symbol::External(join(module_name, name));
        };
        let Some(facts) = module.facts.clone() else {
            return Symbol::External(join(module_name, name));
        };
        if facts.class(name).is_some() {
            return Symbol::Class {
                module: module_name.to_owned(),
                name: name.to_owned(),
            };
        }
        if facts.signature(name).is_some() {
            return Symbol::Function {
                module: module_name.to_owned(),
                name: name.to_owned(),
            };
        }
        if let Some(value) = facts.assignment(name) {
            return Symbol::Value {
                module: module_name.to_owned(),
                value: value.clone(),
            };
        }
        for import in facts.imports.iter().rev() {
            if let Some(symbol) = self.resolve_import(&module, import, name, visited) {
                return symbol;
            }
        }
        for import in &facts.imports {
            if let Import::From {
                level,
                module: target,
                names,
                ..
            } = import
                && names.iter().any(|n| n.name == "*")
            {
                let Some(base) = Self::absolute_import(&module, *level, target.as_deref()) else {
                    continue;
                };
                if self.module_file(&base).is_some() {
                    let symbol = self.resolve_in(&base, name, visited);
                    if !matches!(symbol, Symbol::External(_)) {
                        return symbol;
                    }
                }
            }
        }
        Symbol::External(format!("builtins.{name}"))
    }

    /// The symbol `name` gets from one import statement, if that statement binds it.
    fn resolve_import(
        &mut self,
        module: &Module,
        import: &Import,
        name: &str,
        visited: &mut HashSet<(String, String)>,
    ) -> Option<Symbol> {
        match import {
            Import::Module {
                name: imported,
                alias,
                at,
            } => {
                let bound = match alias {
                    Some(alias) => (alias == name).then(|| imported.clone()),
                    None => {
                        let top = imported.split('.').next().unwrap_or_default();
                        (top == name).then(|| top.to_owned())
                    }
                }?;
                if !self.owns(&bound) {
                    if let Some(unresolved) = self.misrooted(module, imported, *at) {
                        return Some(Symbol::Unresolved(unresolved));
                    }
                    return Some(Symbol::External(bound));
                }
                Some(match self.module_file(&bound) {
                    Some(_) => Symbol::Module(bound),
                    None => Symbol::Unresolved(Unresolved {
                        path: module.display.clone(),
                        at: *at,
                        message: format!(
                            "`import {imported}`: no module `{bound}` under the import root `{}`",
                            self.display(&self.root)
                        ),
                    }),
                })
            }
            Import::From {
                level,
                module: target,
                names,
                ..
            } => {
                let imported = names.iter().find(|n| n.local() == name)?;
                let Some(base) = Self::absolute_import(module, *level, target.as_deref()) else {
                    return Some(Symbol::Unresolved(Unresolved {
                        path: module.display.clone(),
                        at: imported.at,
                        message: format!(
                            "relative import of `{}` climbs above the import root",
                            imported.name
                        ),
                    }));
                };
                if *level == 0 && !self.owns(&base) {
                    if let Some(unresolved) = self.misrooted(module, &base, imported.at) {
                        return Some(Symbol::Unresolved(unresolved));
                    }
                    return Some(Symbol::External(join(&base, &imported.name)));
                }
                if self.module_file(&base).is_none() {
                    let sub = join(&base, &imported.name);
                    if self.module_file(&sub).is_some() {
                        return Some(Symbol::Module(sub));
                    }
                    if self.is_compiled_module(&base) || self.is_compiled_module(&sub) {
                        return Some(Symbol::External(sub));
                    }
                    return Some(Symbol::Unresolved(Unresolved {
                        path: module.display.clone(),
                        at: imported.at,
                        message: format!(
                            "cannot import `{}`: no module `{base}` under the import root `{}`",
                            imported.name,
                            self.display(&self.root)
                        ),
                    }));
                }
                if visited.contains(&(base.clone(), imported.name.clone())) {
                    return Some(Symbol::Unresolved(Unresolved {
                        path: module.display.clone(),
                        at: imported.at,
                        message: format!(
                            "`from {base} import {}` closes an import cycle: `{}` is imported back and forth and defined in none of the modules; Python fails to import it",
                            imported.name, imported.name
                        ),
                    }));
                }
                if visited.len() >= MAX_IMPORT_HOPS {
                    return Some(Symbol::Unresolved(Unresolved {
                        path: module.display.clone(),
                        at: imported.at,
                        message: format!(
                            "`{}` is re-exported through more than {MAX_IMPORT_HOPS} imports: the chain is not followed further",
                            imported.name
                        ),
                    }));
                }
                let symbol = self.resolve_member(&base, &imported.name, visited);
                if let Symbol::External(qualified) = &symbol
                    && qualified.starts_with("builtins.")
                {
                    return Some(Symbol::Unresolved(Unresolved {
                        path: module.display.clone(),
                        at: imported.at,
                        message: format!(
                            "cannot import `{}` from `{base}`: it defines no such name",
                            imported.name
                        ),
                    }));
                }
                Some(symbol)
            }
        }
    }

    /// The module-level function `name` of the module `module`, loading it.
    pub fn function(&mut self, module: &str, name: &str) -> Option<FunctionFacts> {
        self.load(module)?.facts.as_ref()?.function(name).cloned()
    }

    /// Parses a file that is not reached through an import (a handler file found by walking).
    pub fn load_file(&mut self, file: &Path) -> Option<Arc<Module>> {
        let name = self.module_name(file)?;
        self.load(&name)
    }

    /// Records an unresolved import once.
    pub fn report_unresolved(&mut self, unresolved: &Unresolved) {
        let diagnostic = Diagnostic::warning(
            Code::UnresolvedImport,
            unresolved.path.clone(),
            unresolved.at,
            unresolved.message.clone(),
        );
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_owned()
    } else {
        format!("{base}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn preloading_reads_the_files_and_what_they_import_before_any_load() -> Outcome {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        let write = |relative: &str, text: &str| -> std::io::Result<()> {
            let path = root.join(relative);
            std::fs::create_dir_all(path.parent().unwrap_or(root))?;
            std::fs::write(path, text)
        };
        write("app/__init__.py", "")?;
        write("app/ws/__init__.py", "")?;
        write(
            "app/ws/a.py",
            "from app.infra.types import Model\nimport json\n",
        )?;
        write("app/infra/__init__.py", "")?;
        write(
            "app/infra/types.py",
            "from .base import Base\nclass Model(Base): pass\n",
        )?;
        write("app/infra/base.py", "class Base: pass\n")?;
        write("app/unused.py", "x = 1\n")?;
        let mut tree = PythonTree::new(root);
        tree.preload(&[root.join("app/ws/a.py")]);
        let read: Vec<String> = tree
            .files_read()
            .iter()
            .map(|file| tree.relative(file))
            .collect();
        assert_eq!(
            read,
            [
                "app/__init__.py",
                "app/infra/__init__.py",
                "app/infra/base.py",
                "app/infra/types.py",
                "app/ws/a.py"
            ],
            "followed two imports deep, the packages on the way, nothing unimported"
        );
        Ok(())
    }
}
