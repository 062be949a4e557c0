package dev.mmcheck.lib.run;

import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.scenario.Exploration;
import dev.mmcheck.model.state.MmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the reduction tests share: the bundled explorations, random ones, and samples of their states. */
final class Explorations {
    private Explorations() {
    }

    /** Every bundled spec with an operation alphabet. */
    static List<Path> bundled() throws Exception {
        try (Stream<Path> files = Files.walk(Repo.spec("specs"))) {
            return files.filter(p -> p.toString().endsWith(".mmc")).sorted().filter(p -> {
                try {
                    return SpecParser.parse(p).isExploration();
                } catch (Exception e) {
                    return false;
                }
            }).toList();
        }
    }

    /** Each property's verdict and the length of its trace. */
    static String verdicts(CheckReport r) {
        return r.properties().stream()
                .map(p -> p.name() + " " + p.verdict() + p.trace().map(t -> "(" + t.length() + ")").orElse(""))
                .collect(Collectors.joining("; "));
    }

    private static final String[] RELEASES = {"v5.7", "v5.8", "v5.18", "v6.1", "v7.0"};
    private static final String[] OPS = {"read", "get(ro)", "pin(ro,longterm)", "pin(rw,longterm)", "pin(ro)", "release",
            "dma-write", "exit", "munmap", "madvise(dontneed)", "madvise(dontfork)", "mprotect(ro)", "mprotect(rw)",
            "reclaim", "madvise(pageout)", "ksm-merge", "clear-soft-dirty"};

    /**
     * The text of random exploration number n: a random release (with and without the historical COW/GUP fixes), 2 or
     * 3 processes, 1 or 2 mergeable private anonymous pages, write and fork and a random third of the other
     * anonymous-memory operations, depth 4 (3 processes and 2 pages) or 5.
     */
    static String random(Random random, int n, String cite) {
        int processes = 2 + random.nextInt(2);
        int pages = random.nextInt(3) == 0 ? 1 : 2;
        List<String> alphabet = new ArrayList<>(List.of("write", "fork"));
        for (String op : OPS) {
            if (random.nextInt(3) == 0) alphabet.add(op);
        }
        StringBuilder text = new StringBuilder("spec random/" + n + "\ntitle \"random\"\ncite \"" + cite + "\"\n")
                .append("profile ").append(RELEASES[random.nextInt(RELEASES.length)]).append('\n')
                .append("processes ").append(processes).append("\npages ").append(pages).append("\nsetup {\n");
        for (int a = 0; a < pages; a++) {
            char name = (char) ('A' + a);
            text.append("  P0: mmap ").append(name).append(" anon rw\n  P0: madvise ").append(name).append(" mergeable\n");
        }
        text.append("}\nops ").append(String.join(" ", alphabet)).append("\ndepth ")
                .append(processes == 3 && pages == 2 ? 4 : 5).append("\ncheck all\n");
        return text.toString();
    }

    /** The first 300 states breadth-first (one per encoding), then the states along 40 seeded random walks of 12 steps. */
    static List<MmState> sample(Exploration x, long seed) {
        MmState init = x.initialStates().get(0);
        List<MmState> sample = new ArrayList<>();
        Set<List<Integer>> seen = new HashSet<>();
        ArrayDeque<MmState> queue = new ArrayDeque<>(List.of(init));
        seen.add(key(x, init));
        while (!queue.isEmpty() && sample.size() < 300) {
            MmState s = queue.poll();
            sample.add(s);
            for (MmState t : successors(x, s)) {
                if (seen.add(key(x, t))) queue.add(t);
            }
        }
        Random random = new Random(seed);
        for (int walk = 0; walk < 40; walk++) {
            MmState s = init;
            for (int d = 0; d < 12; d++) {
                List<MmState> next = successors(x, s);
                if (next.isEmpty()) break;
                s = next.get(random.nextInt(next.size()));
                sample.add(s);
            }
        }
        return sample;
    }

    static List<MmState> successors(Exploration x, MmState s) {
        List<Op> ops = new ArrayList<>();
        x.enabled(s, ops);
        List<MmState> out = new ArrayList<>();
        for (Op op : ops) {
            MmState t = x.next(s, op);
            if (t != null) out.add(t);
        }
        return out;
    }

    /** The state's canonical encoding. */
    static List<Integer> key(Exploration x, MmState s) {
        return Arrays.stream(x.canonical(s)).boxed().toList();
    }
}
