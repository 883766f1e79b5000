//! Ordered parallel map with bounded memory: the run loop's engine.
//!
//! Workers pull items from one shared iterator, so reading (or the JSONL
//! feeder) and annotation overlap; results are handed to the sink in input
//! order, a batch at a time (half a window, or sooner when the workers
//! would otherwise wait or the input ends). At most `window` items are in
//! flight (taken and not yet written), so memory does not grow with the
//! input whatever the thread count, and the output is the same bytes for
//! any number of threads.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::{Condvar, Mutex};

/// Maps `f` over `items` on `threads` threads and feeds the results to
/// `sink` in input order. Each worker first makes its own state with
/// `init` (a clone of the pipeline: a `Regex` shared by threads makes them
/// queue for its scratch space, regex issue #934) and passes it to `f`.
/// `sink` may stop the run early by returning `ControlFlow::Break` (a
/// closed pipe); the workers then stop taking items.
///
/// # Panics
/// If `threads` or `window` is 0, or if `f` panics: the workers then stop
/// taking items and the panic is resumed on the calling thread.
pub fn map_ordered<I, T, R, W, N, F, S>(
    items: I,
    threads: usize,
    window: usize,
    init: N,
    f: F,
    mut sink: S,
) where
    I: Iterator<Item = T> + Send,
    T: Send,
    R: Send,
    N: Fn() -> W + Sync,
    F: Fn(&mut W, T) -> R + Sync,
    S: FnMut(R) -> ControlFlow<()>,
{
    assert!(threads > 0 && window > 0);
    // The writer is woken once a batch of results is ready (or the
    // workers would have to wait, or the input is used up), not once per
    // result: a wake-up is a system call on the worker's path, about 3% of
    // a one-thread run when it came with every document.
    let batch = (window / 2).max(1);
    struct Shared<I, R> {
        items: I,
        next_seq: usize,
        /// Taken and not yet handed to the sink.
        in_flight: usize,
        stop: bool,
        /// No item is left.
        exhausted: bool,
        /// Workers still running.
        alive: usize,
        /// Results not yet handed to the sink, by sequence number.
        ready: BTreeMap<usize, R>,
        /// The next sequence number for the sink.
        expected: usize,
        writer_waits: bool,
        workers_waiting: usize,
    }
    impl<I, R> Shared<I, R> {
        /// Whether the writer, if waiting, should be woken now.
        fn writer_has_work(&self, batch: usize, window: usize) -> bool {
            self.alive == 0
                || self.stop
                || (self.ready.contains_key(&self.expected)
                    && (self.ready.len() >= batch || self.in_flight >= window || self.exhausted))
        }
    }
    let shared = Mutex::new(Shared {
        items,
        next_seq: 0,
        in_flight: 0,
        stop: false,
        exhausted: false,
        alive: threads,
        ready: BTreeMap::new(),
        expected: 0,
        writer_waits: false,
        workers_waiting: 0,
    });
    let slot_free = Condvar::new();
    let writer_wake = Condvar::new();
    let panicked: Mutex<Option<Box<dyn std::any::Any + Send>>> = Mutex::new(None);
    let lock = || shared.lock().unwrap_or_else(|p| p.into_inner());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (slot_free, writer_wake, f, init, panicked, lock) =
                (&slot_free, &writer_wake, &f, &init, &panicked, &lock);
            scope.spawn(move || {
                // Wakes the writer if it waits and has work.
                let nudge = |s: &Shared<I, R>| {
                    if s.writer_waits && s.writer_has_work(batch, window) {
                        writer_wake.notify_one();
                    }
                };
                // However the worker ends (the input used up, a stop, or a
                // panic in `init`, the input or `f`), it is counted out and
                // the writer told; a panic stops the other workers too.
                struct Leave<G: Fn()>(G);
                impl<G: Fn()> Drop for Leave<G> {
                    fn drop(&mut self) {
                        (self.0)();
                    }
                }
                let _leave = Leave(|| {
                    let mut s = lock();
                    s.alive -= 1;
                    if std::thread::panicking() {
                        s.stop = true;
                    }
                    drop(s);
                    slot_free.notify_all();
                    writer_wake.notify_one();
                });
                let mut state = init();
                loop {
                    let (seq, item) = {
                        let mut s = lock();
                        while s.in_flight >= window && !s.stop {
                            nudge(&s);
                            s.workers_waiting += 1;
                            s = slot_free.wait(s).unwrap_or_else(|p| p.into_inner());
                            s.workers_waiting -= 1;
                        }
                        let item = if s.stop { None } else { s.items.next() };
                        let Some(item) = item else {
                            s.exhausted = true;
                            return;
                        };
                        s.in_flight += 1;
                        s.next_seq += 1;
                        (s.next_seq - 1, item)
                    };
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        f(&mut state, item)
                    }));
                    let mut s = lock();
                    match r {
                        Ok(r) => {
                            s.ready.insert(seq, r);
                            nudge(&s);
                        }
                        Err(payload) => {
                            s.stop = true;
                            *panicked.lock().unwrap_or_else(|p| p.into_inner()) = Some(payload);
                            return;
                        }
                    }
                }
            });
        }
        // The writer: results in order, as long as the workers give them.
        let mut s = lock();
        loop {
            let expected = s.expected;
            if let Some(r) = s.ready.remove(&expected) {
                s.expected += 1;
                drop(s);
                let flow = sink(r);
                s = lock();
                s.in_flight -= 1;
                if flow.is_break() {
                    s.stop = true;
                    s.ready.clear();
                    slot_free.notify_all();
                    break;
                }
                if s.workers_waiting > 0 {
                    slot_free.notify_all();
                }
                continue;
            }
            if s.alive == 0 {
                // (After a panic, the results before the panicked item
                // are all written; what comes after it is dropped, as the
                // panic is resumed below.)
                s.ready.clear();
                break;
            }
            s.writer_waits = true;
            s = writer_wake.wait(s).unwrap_or_else(|p| p.into_inner());
            s.writer_waits = false;
        }
        drop(s);
    });
    if let Some(payload) = panicked.into_inner().unwrap_or_else(|p| p.into_inner()) {
        std::panic::resume_unwind(payload);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_kept_for_any_thread_count_and_window() {
        for threads in [1, 2, 4] {
            for window in [1, 3, 64] {
                let mut got = Vec::new();
                map_ordered(
                    0..200u64,
                    threads,
                    window,
                    || (),
                    |_, x| {
                        // Uneven work so results arrive out of order.
                        std::thread::sleep(std::time::Duration::from_micros((x * 7919) % 300));
                        x * 2
                    },
                    |r| {
                        got.push(r);
                        ControlFlow::Continue(())
                    },
                );
                assert_eq!(got, (0..200).map(|x| x * 2).collect::<Vec<_>>(), "{threads} {window}");
            }
        }
    }

    #[test]
    fn fewer_items_than_a_batch_all_come_out() {
        // The writer is woken by the end of the input, not a full batch.
        for threads in [1, 2, 3] {
            for n in [0u32, 1, 2, 5] {
                let mut got = Vec::new();
                map_ordered(
                    0..n,
                    threads,
                    64,
                    || (),
                    |_, x| x,
                    |r| {
                        got.push(r);
                        ControlFlow::Continue(())
                    },
                );
                assert_eq!(got, (0..n).collect::<Vec<_>>(), "{threads} threads, {n} items");
            }
        }
    }

    #[test]
    fn sink_can_stop_the_run() {
        let taken = std::sync::atomic::AtomicUsize::new(0);
        let mut got = 0;
        map_ordered(
            0..10_000u32,
            2,
            8,
            || (),
            |_, x| {
                taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                x
            },
            |_| {
                got += 1;
                if got == 5 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(got, 5);
        assert!(taken.load(std::sync::atomic::Ordering::Relaxed) < 100, "workers stopped early");
    }

    #[test]
    fn a_panicking_item_ends_the_run_instead_of_hanging_it() {
        let r = std::panic::catch_unwind(|| {
            map_ordered(
                0..1000u32,
                2,
                4,
                || (),
                |_, x| {
                    assert!(x != 10, "boom");
                    x
                },
                |_| ControlFlow::Continue(()),
            )
        });
        assert!(r.is_err(), "the panic is resumed");
    }

    /// A panic outside `f` (making a worker's state, or taking the next
    /// item) ends the run with the panic too, for any thread count,
    /// rather than leaving the writer waiting.
    #[test]
    fn a_panic_in_init_or_the_input_ends_the_run() {
        fn ends_with_a_panic(run: impl FnOnce() + Send + 'static) -> bool {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
                let _ = tx.send(r.is_err());
            });
            rx.recv_timeout(std::time::Duration::from_secs(20)).expect("the run ended")
        }
        for threads in [1, 2, 3] {
            assert!(ends_with_a_panic(move || map_ordered(
                0..100u32,
                threads,
                4,
                || panic!("no state"),
                |_: &mut (), x| x,
                |_| ControlFlow::Continue(()),
            )));
            assert!(ends_with_a_panic(move || map_ordered(
                (0..100u32).inspect(|&x| assert!(x != 7, "bad input")),
                threads,
                4,
                || (),
                |_, x| x,
                |_| ControlFlow::Continue(()),
            )));
        }
    }

    /// After a panic in `f`, every result before the panicked item has
    /// reached the sink.
    #[test]
    fn results_before_a_panicked_item_are_written() {
        for threads in [1, 2, 4] {
            let got = Mutex::new(Vec::new());
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                map_ordered(
                    0..200u32,
                    threads,
                    8,
                    || (),
                    |_, x| {
                        // Items before the bad one are slower, so they are
                        // still in work when it panics.
                        if x < 50 {
                            std::thread::sleep(std::time::Duration::from_micros(200));
                        }
                        assert!(x != 50, "boom");
                        x
                    },
                    |r| {
                        got.lock().unwrap().push(r);
                        ControlFlow::Continue(())
                    },
                )
            }));
            assert!(r.is_err());
            assert_eq!(*got.lock().unwrap(), (0..50).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn in_flight_stays_within_the_window() {
        let live = std::sync::atomic::AtomicUsize::new(0);
        let max = std::sync::atomic::AtomicUsize::new(0);
        map_ordered(
            0..500u32,
            4,
            6,
            || (),
            |_, x| {
                let n = live.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                max.fetch_max(n, std::sync::atomic::Ordering::SeqCst);
                x
            },
            |_| {
                live.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                ControlFlow::Continue(())
            },
        );
        assert!(max.load(std::sync::atomic::Ordering::SeqCst) <= 6);
    }
}
