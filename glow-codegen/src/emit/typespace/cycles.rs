//! Recursion: a type that holds itself by value (directly or through `Option`) gets a `Box`.

use std::collections::{BTreeMap, BTreeSet};

use super::{Def, Ty, TypeSpace};

impl TypeSpace {
    /// Boxes every by-value reference that leads back to the definition holding it.
    pub(super) fn box_cycles(&mut self) {
        let edges: BTreeMap<String, BTreeSet<String>> = self
            .defs
            .iter()
            .map(|(name, def)| (name.clone(), by_value_targets(def)))
            .collect();
        let reaches = |from: &str, to: &str| -> bool {
            let mut stack = vec![from.to_owned()];
            let mut seen = BTreeSet::new();
            while let Some(current) = stack.pop() {
                if current == to {
                    return true;
                }
                if seen.insert(current.clone()) {
                    stack.extend(edges.get(&current).into_iter().flatten().cloned());
                }
            }
            false
        };
        let names: Vec<String> = self.defs.keys().cloned().collect();
        for name in names {
            let Some(mut def) = self.defs.remove(&name) else {
                continue;
            };
            let fix = |ty: &mut Ty| box_if(ty, &|target| reaches(target, &name));
            match &mut def {
                Def::Struct { fields, extra, .. } => {
                    fields.iter_mut().for_each(|f| fix(&mut f.ty));
                    if let Some(extra) = extra {
                        fix(extra);
                    }
                }
                Def::Tagged { variants, .. } => {
                    for (_, _, fields) in variants {
                        fields.iter_mut().for_each(|f| fix(&mut f.ty));
                    }
                }
                Def::Untagged { variants, .. } => variants.iter_mut().for_each(|(_, ty)| fix(ty)),
                _ => {}
            }
            self.defs.insert(name, def);
        }
    }
}

/// The definitions a definition holds by value (not behind a `Vec` or a map).
fn by_value_targets(def: &Def) -> BTreeSet<String> {
    fn walk(ty: &Ty, out: &mut BTreeSet<String>) {
        match ty {
            Ty::Named(name) => {
                out.insert(name.clone());
            }
            Ty::Option(inner) => walk(inner, out),
            Ty::Tuple(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    match def {
        Def::Struct { fields, .. } => fields.iter().for_each(|f| walk(&f.ty, &mut out)),
        Def::Tagged { variants, .. } => variants
            .iter()
            .flat_map(|(_, _, fields)| fields)
            .for_each(|f| walk(&f.ty, &mut out)),
        Def::Untagged { variants, .. } => variants.iter().for_each(|(_, ty)| walk(ty, &mut out)),
        Def::Alias { ty, .. } => walk(ty, &mut out),
        _ => {}
    }
    out
}

fn box_if(ty: &mut Ty, cyclic: &dyn Fn(&str) -> bool) {
    match ty {
        Ty::Named(name) if cyclic(name) => {
            let inner = std::mem::replace(ty, Ty::Value);
            *ty = Ty::Boxed(Box::new(inner));
        }
        Ty::Option(inner) => box_if(inner, cyclic),
        Ty::Tuple(items) => items.iter_mut().for_each(|i| box_if(i, cyclic)),
        _ => {}
    }
}
