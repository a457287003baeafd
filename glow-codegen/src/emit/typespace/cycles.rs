//! Recursion. A type alias that refers back to itself becomes a newtype (Rust expands aliases
//! eagerly, so `type Tree = Vec<Tree>` does not compile); a type that holds itself by value
//! (directly or through `Option`) gets a `Box`. Both are decided on the strongly connected
//! components of the reference graph, found once: any number of types costs their references.

use std::collections::{BTreeMap, HashMap};

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
        for (name, def) in &mut self.defs {
            // Only a definition on a cycle holds something that leads back to it.
            let Some(own) = components.get(name).copied() else {
                continue;
            };
            let cyclic = |target: &str| components.get(target).copied() == Some(own);
            let fix = |ty: &mut Ty| box_if(ty, &cyclic);
            match def {
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
/// two or more, or a node referring to itself); Tarjan's algorithm with an explicit stack, over
/// the nodes numbered in order.
fn components(edges: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, usize> {
    struct Frame {
        node: usize,
        next: usize,
    }
    let names: Vec<&str> = edges.keys().map(String::as_str).collect();
    let ids: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    // Targets that are not nodes are left out.
    let targets: Vec<Vec<usize>> = edges
        .values()
        .map(|to| {
            to.iter()
                .filter_map(|t| ids.get(t.as_str()).copied())
                .collect()
        })
        .collect();
    let mut index: Vec<Option<usize>> = vec![None; names.len()];
    let mut low: Vec<usize> = vec![0; names.len()];
    let mut on_stack: Vec<bool> = vec![false; names.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    let mut counter = 0;
    let mut component = 0;
    for root in 0..names.len() {
        if index[root].is_some() {
            continue;
        }
        let mut frames = vec![Frame {
            node: root,
            next: 0,
        }];
        index[root] = Some(counter);
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(frame) = frames.last_mut() {
            let node = frame.node;
            if let Some(&target) = targets[node].get(frame.next) {
                frame.next += 1;
                match index[target] {
                    None => {
                        index[target] = Some(counter);
                        low[target] = counter;
                        counter += 1;
                        stack.push(target);
                        on_stack[target] = true;
                        frames.push(Frame {
                            node: target,
                            next: 0,
                        });
                    }
                    Some(target_index) if on_stack[target] => {
                        low[node] = low[node].min(target_index);
                    }
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            if let Some(parent) = frames.last() {
                low[parent.node] = low[parent.node].min(low[node]);
            }
            if Some(low[node]) == index[node] {
                let mut members = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    members.push(member);
                    if member == node {
                        break;
                    }
                }
                let self_loop = targets[node].contains(&node);
                if members.len() > 1 || self_loop {
                    for member in members {
                        found.insert(names[member].to_owned(), component);
                    }
                }
                component += 1;
            }
        }
    }
    found
}
