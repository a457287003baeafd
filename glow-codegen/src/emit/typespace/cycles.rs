//! Recursion. A type alias that refers back to itself becomes a newtype (Rust expands aliases
//! eagerly, so `type Tree = Vec<Tree>` does not compile); a type that holds itself by value
//! (directly or through `Option`) gets a `Box`. Both are decided on the strongly connected
//! components of the reference graph, found once: any number of types costs their references.

use std::collections::BTreeMap;

use super::{Def, Ty, TypeSpace};

impl TypeSpace<'_> {
    /// Turns every alias on a cycle of aliases into a newtype.
    pub(super) fn break_alias_cycles(&mut self) {
        let aliases: Vec<String> = self
            .defs
            .iter()
            .filter(|(_, def)| matches!(def, Def::Alias { .. }))
            .map(|(name, _)| name.clone())
            .collect();
        let edges: BTreeMap<String, Vec<String>> = aliases
            .iter()
            .map(|name| {
                let mut targets = Vec::new();
                if let Some(Def::Alias { ty, .. }) = self.defs.get(name) {
                    named_in(ty, true, &mut targets);
                }
                targets.retain(|t| matches!(self.defs.get(t), Some(Def::Alias { .. })));
                (name.clone(), targets)
            })
            .collect();
        for name in cyclic_nodes(&edges) {
            if let Some(Def::Alias { doc, ty }) = self.defs.remove(&name) {
                self.defs.insert(name, Def::Newtype { doc, ty });
            }
        }
    }

    /// Boxes every by-value reference that leads back to the definition holding it.
    pub(super) fn box_cycles(&mut self) {
        let edges: BTreeMap<String, Vec<String>> = self
            .defs
            .iter()
            .map(|(name, def)| (name.clone(), by_value_targets(def)))
            .collect();
        let components = components(&edges);
        let names: Vec<String> = self.defs.keys().cloned().collect();
        for name in names {
            let Some(mut def) = self.defs.remove(&name) else {
                continue;
            };
            let own = components.get(&name).copied();
            let cyclic = |target: &str| own.is_some() && components.get(target).copied() == own;
            let fix = |ty: &mut Ty| box_if(ty, &cyclic);
            match &mut def {
                Def::Struct { fields, extra, .. } => {
                    fields.iter_mut().for_each(|f| fix(&mut f.ty));
                    if let Some(extra) = extra {
                        fix(extra);
                    }
                }
                Def::Tagged { variants, .. } => {
                    for variant in variants {
                        variant.fields.iter_mut().for_each(|f| fix(&mut f.ty));
                    }
                }
                Def::Untagged { variants, .. } => variants.iter_mut().for_each(|(_, ty)| fix(ty)),
                Def::Newtype { ty, .. } => fix(ty),
                _ => {}
            }
            self.defs.insert(name, def);
        }
    }
}

/// The names inside `ty`: all of them (`anywhere`), or only those it holds by value.
fn named_in(ty: &Ty, anywhere: bool, out: &mut Vec<String>) {
    match ty {
        Ty::Named(name) => out.push(name.clone()),
        Ty::Option(inner) => named_in(inner, anywhere, out),
        Ty::Tuple(items) => items.iter().for_each(|i| named_in(i, anywhere, out)),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) if anywhere => {
            named_in(inner, anywhere, out)
        }
        _ => {}
    }
}

/// The definitions a definition holds by value (not behind a `Vec`, a map or a `Box`).
fn by_value_targets(def: &Def) -> Vec<String> {
    let mut out = Vec::new();
    match def {
        Def::Struct { fields, .. } => fields.iter().for_each(|f| named_in(&f.ty, false, &mut out)),
        Def::Tagged { variants, .. } => variants
            .iter()
            .flat_map(|variant| &variant.fields)
            .for_each(|f| named_in(&f.ty, false, &mut out)),
        Def::Untagged { variants, .. } => variants
            .iter()
            .for_each(|(_, ty)| named_in(ty, false, &mut out)),
        Def::Alias { ty, .. } | Def::Newtype { ty, .. } => named_in(ty, false, &mut out),
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

/// The nodes that lie on a cycle.
fn cyclic_nodes(edges: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    components(edges).into_keys().collect()
}

/// Each node's strongly connected component, for the nodes that are on a cycle (a component of
/// two or more, or a node referring to itself); Tarjan's algorithm with an explicit stack.
fn components(edges: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, usize> {
    struct Frame<'a> {
        node: &'a str,
        next: usize,
    }
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeMap<&str, bool> = BTreeMap::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    let mut counter = 0;
    let mut component = 0;
    let no_targets = Vec::new();
    for root in edges.keys() {
        if index.contains_key(root.as_str()) {
            continue;
        }
        let mut frames = vec![Frame {
            node: root.as_str(),
            next: 0,
        }];
        index.insert(root, counter);
        low.insert(root, counter);
        counter += 1;
        stack.push(root);
        on_stack.insert(root, true);
        while let Some(frame) = frames.last_mut() {
            let node = frame.node;
            let targets = edges.get(node).unwrap_or(&no_targets);
            if let Some(target) = targets.get(frame.next) {
                frame.next += 1;
                let target = target.as_str();
                if !edges.contains_key(target) {
                    continue;
                }
                match index.get(target) {
                    None => {
                        index.insert(target, counter);
                        low.insert(target, counter);
                        counter += 1;
                        stack.push(target);
                        on_stack.insert(target, true);
                        frames.push(Frame {
                            node: target,
                            next: 0,
                        });
                    }
                    Some(&target_index) if on_stack.get(target) == Some(&true) => {
                        let current = low[node].min(target_index);
                        low.insert(node, current);
                    }
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            if let Some(parent) = frames.last() {
                let lowest = low[parent.node].min(low[node]);
                low.insert(parent.node, lowest);
            }
            if low[node] == index[node] {
                let mut members = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack.insert(member, false);
                    members.push(member);
                    if member == node {
                        break;
                    }
                }
                let self_loop = targets.iter().any(|t| t == node);
                if members.len() > 1 || self_loop {
                    for member in members {
                        found.insert(member.to_owned(), component);
                    }
                }
                component += 1;
            }
        }
    }
    found
}
