//! A short run of every fuzz target on stable, in the test suite: the seed corpora, every input
//! a fuzzing run ever found (`fuzz/regressions/<target>/`), and deterministic mutations of the
//! seeds (bytes flipped, ranges cut, doubled or spliced from another seed). Any panic fails it.

use std::path::{Path, PathBuf};

use glow_fuzz::TARGETS;

/// Mutations tried per target (the coverage-guided run is `cargo +nightly fuzz run`).
const MUTATIONS: usize = 600;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files_under(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for entry in entries {
        if entry.file_name().is_some_and(|n| n == "__pycache__") {
            continue;
        }
        files_under(&entry, out);
    }
}

/// xorshift64*: the same sequence on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            0
        } else {
            (self.next() % bound as u64) as usize
        }
    }
}

fn mutate(seed: &[u8], other: &[u8], random: &mut Random) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..=random.below(3) {
        let at = random.below(data.len() + 1);
        match random.below(6) {
            0 if !data.is_empty() => {
                let at = at.min(data.len() - 1);
                data[at] ^= 1 << random.below(8);
            }
            1 => {
                let end = (at + random.below(64)).min(data.len());
                data.drain(at..end);
            }
            2 => {
                let end = (at + random.below(64)).min(data.len());
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
            3 => {
                let byte = [b'{', b'[', b'"', b':', b'\n', b' ', b'$', b'(', 0xff][random.below(9)];
                data.insert(at, byte);
            }
            4 => data.truncate(at),
            _ => {
                let from = random.below(other.len() + 1);
                let end = (from + random.below(256)).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
        }
    }
    data
}

#[test]
fn every_target_survives_its_seeds_findings_and_mutations() {
    for target in TARGETS {
        let (name, run) = (target.name, target.run);
        let mut files = Vec::new();
        for seed in target.seeds {
            files_under(&workspace().join(seed), &mut files);
        }
        files_under(&workspace().join("fuzz/regressions").join(name), &mut files);
        let inputs: Vec<Vec<u8>> = files
            .iter()
            .filter_map(|f| std::fs::read(f).ok())
            .filter(|bytes| bytes.len() <= 256 * 1024)
            .collect();
        assert!(inputs.len() >= 2, "{name} has seeds");
        for input in &inputs {
            run(input);
        }
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        for round in 0..MUTATIONS {
            let seed = &inputs[round % inputs.len()];
            let other = &inputs[random.below(inputs.len())];
            run(&mutate(seed, other, &mut random));
        }
    }
}
