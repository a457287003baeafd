//! Work spread over every core: one thread per core takes the items in turn, and the answers
//! come back in the items' order. The Python read-ahead, the chunked manifest reader and the
//! chunked printer share it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::Builder;

/// `work` applied to every item on as many threads as there are cores (no more than there are
/// items), each made by `thread`, while `meanwhile` runs on this one. An item whose thread could
/// not start, or stopped in a panic, has `None`.
pub(crate) fn map<T, R, M>(
    items: &[T],
    thread: impl Fn() -> Builder,
    work: impl Fn(&T) -> R + Sync,
    meanwhile: impl FnOnce() -> M,
) -> (Vec<Option<R>>, M)
where
    T: Sync,
    R: Send,
{
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    let next = AtomicUsize::new(0);
    let (done, other) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .filter_map(|_| {
                thread()
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(index) else {
                                return done;
                            };
                            done.push((index, work(item)));
                        }
                    })
                    .ok()
            })
            .collect();
        let other = meanwhile();
        let done: Vec<(usize, R)> = handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect();
        (done, other)
    });
    let mut answers: Vec<Option<R>> = items.iter().map(|_| None).collect();
    for (index, answer) in done {
        if let Some(slot) = answers.get_mut(index) {
            *slot = Some(answer);
        }
    }
    (answers, other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_come_back_in_order_with_the_other_work_done() {
        let items: Vec<u64> = (0..1_000).collect();
        let (answers, other) = map(&items, Builder::new, |n| n * 2, || "meanwhile");
        let doubled: Vec<Option<u64>> = items.iter().map(|n| Some(n * 2)).collect();
        assert_eq!(answers, doubled);
        assert_eq!(other, "meanwhile");
        let (none, ()) = map(&[] as &[u64], Builder::new, |n| *n, || ());
        assert!(none.is_empty());
    }
}
