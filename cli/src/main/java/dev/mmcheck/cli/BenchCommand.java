package dev.mmcheck.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.Statistics;
import dev.mmcheck.checker.toys.Counters;
import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.report.JsonReport;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmcheck bench}: fixed explorations of the MM model and of the checker's toy model, each run with 1 and 2
 * (or --threads) threads, printing states, transitions, states/s, peak heap, bytes per state and the speedup.
 * Speed and memory of the engine are measured here, never by timed unit tests.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, version = Version.TOOL,
        description = "Measure the engine: fixed explorations of the MM model (1, 2 and 3 processes) and of a toy model.",
        footer = {"", "Each exploration runs once per thread count after a warm-up run; states/s is distinct states per",
                "second of search; 'cpu s' is the CPU time the process used meanwhile (JIT and GC included): on a",
                "loaded machine, cpu s close to secs with 2 threads means the threads did not get two cores.",
                "The first line measures how many cores the threads can get at all (a CPU-bound loop on 1 and on n",
                "threads). 'peak heap' is the most heap in use after any garbage collection during the timed",
                "run, less what was in use before (garbage not yet collected included, so an upper bound); 'live' is",
                "the most heap in use after full collections made during a separate one-thread run whenever the",
                "engine's structures grew by a quarter; 'eng' is the largest size of the search's own structures",
                "(visited set, parent links, frontier, block buffers; for a frontier of state objects only the",
                "references, not the objects). B/s: bytes per distinct state. Timings on a",
                "shared machine are noisy: compare runs made side by side."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "small explorations only (seconds)")
    boolean quick;

    @Option(names = "--large", description = "also the largest explorations: the toy model at 10^8 states and the MM model with 3 processes")
    boolean large;

    @Option(names = "--threads", paramLabel = "N", split = ",", description = "thread counts to run, e.g. 1,2 (default 1,2)")
    List<Integer> threads = new ArrayList<>(List.of(1, 2));

    @Option(names = "--only", paramLabel = "NAME", description = "run only explorations whose name contains NAME")
    String only;

    @Option(names = "--json", description = "print JSON (schema mmcheck-bench/1) instead of a table")
    boolean json;

    @Option(names = "--specs", paramLabel = "DIR", description = "where the bundled specs are (default: specs/ next to the launcher, or ./specs)")
    Path specs;

    @CommandLine.ParentCommand
    Main parent;

    /** One exploration: a name, what it is, and how to run it with n threads. */
    private record Exploration(String name, String what, Run run) {
    }

    @FunctionalInterface
    private interface Run {
        Measured run(int threads, Consumer<Statistics> progress) throws SpecException;
    }

    /** Counts of one run; bytes from the engine's own accounting. */
    private record Measured(long states, long transitions, double seconds, long engineBytes, String stop) {
    }

    /** One row of the table: an exploration at one thread count. */
    private record Row(String name, String what, int threads, Measured m, double cpuSeconds, long peakHeap, long livePeak,
                       double speedup) {
        double statesPerSecond() {
            return m.states / Math.max(1e-9, m.seconds);
        }
    }

    @Override
    public Integer call() {
        PrintStream out = parent.out();
        PrintStream err = parent.err();
        for (int t : threads) {
            if (t < 1 || t > 256) {
                err.println("mmcheck: --threads must be 1..256, got " + t);
                return Exit.BAD_INPUT.code;
            }
        }
        Path dir = specs != null ? specs : defaultSpecs();
        if (!Files.isDirectory(dir.resolve("explore"))) {
            err.println("mmcheck: bench needs the bundled specs: no " + dir.resolve("explore") + " (use --specs DIR)");
            return Exit.BAD_INPUT.code;
        }
        List<Exploration> explorations;
        try {
            explorations = explorations(dir);
        } catch (IOException | SpecException e) {
            err.println("mmcheck: bench: cannot read the bundled specs: " + e.getMessage());
            return Exit.BAD_INPUT.code;
        }
        if (only != null) {
            explorations = explorations.stream().filter(e -> e.name().contains(only)).toList();
        }
        Runtime rt = Runtime.getRuntime();
        String machine = String.format(Locale.ROOT, "%d cores, max heap %,d MiB, Java %s", rt.availableProcessors(),
                rt.maxMemory() >> 20, Runtime.version());
        int most = threads.stream().mapToInt(Integer::intValue).max().orElse(1);
        double parallelism = most == 1 ? 1.0 : burnSpeedup(most);
        if (!json) {
            out.println("mmcheck bench on " + machine);
            out.printf(Locale.ROOT, "available parallelism now: %d threads of a CPU-bound loop ran %.2fx as fast as 1%n",
                    most, parallelism);
            out.printf(Locale.ROOT, "%-24s %3s %12s %13s %7s %7s %10s %7s %9s %8s %8s %8s%n", "exploration", "thr", "states",
                    "transitions", "secs", "cpu s", "states/s", "speedup", "peak heap", "heap B/s", "live B/s", "eng B/s");
        }
        List<Row> rows = new ArrayList<>();
        try (PeakHeap peak = new PeakHeap()) {
            for (Exploration e : explorations) {
                // Warm-up: the first run of each exploration compiles the hot code; it is not reported.
                if (!quick) {
                    e.run().run(threads.get(threads.size() - 1), s -> { });
                }
                long live = quick ? 0 : liveHeap(e);
                double baseline = 0;
                for (int t : threads) {
                    peak.start();
                    long cpu0 = cpuNanos();
                    Measured m = e.run().run(t, s -> { });
                    double cpu = (cpuNanos() - cpu0) / 1e9;
                    long heap = peak.stop();
                    if (t == threads.get(0)) {
                        baseline = m.seconds();
                    }
                    Row row = new Row(e.name(), e.what(), t, m, cpu, heap, live, baseline / Math.max(1e-9, m.seconds()));
                    rows.add(row);
                    if (!json) {
                        out.printf(Locale.ROOT, "%-24s %3d %,12d %,13d %7.2f %7.2f %,10.0f %6.2fx %7d M %8.1f %8s %8.1f%s%n", row.name(), t,
                                m.states(), m.transitions(), m.seconds(), cpu, row.statesPerSecond(), row.speedup(), heap >> 20,
                                (double) heap / m.states(), quick ? "-" : String.format(Locale.ROOT, "%.1f", (double) live / m.states()),
                                (double) m.engineBytes() / m.states(), m.stop().equals("complete") ? "" : "  (" + m.stop() + ")");
                        out.flush();
                    }
                }
            }
        } catch (SpecException e) {
            err.println(e.render());
            return Exit.BAD_INPUT.code;
        }
        if (json) {
            JsonObject root = new JsonObject();
            root.addProperty("schema", "mmcheck-bench/1");
            root.addProperty("tool", Version.TOOL);
            root.addProperty("machine", machine);
            root.addProperty("burnThreads", most);
            root.addProperty("burnSpeedup", parallelism);
            JsonArray a = new JsonArray();
            for (Row r : rows) {
                JsonObject o = new JsonObject();
                o.addProperty("exploration", r.name());
                o.addProperty("description", r.what());
                o.addProperty("threads", r.threads());
                o.addProperty("states", r.m().states());
                o.addProperty("transitions", r.m().transitions());
                o.addProperty("seconds", r.m().seconds());
                o.addProperty("cpuSeconds", r.cpuSeconds());
                o.addProperty("statesPerSecond", r.statesPerSecond());
                o.addProperty("peakHeapBytes", r.peakHeap());
                o.addProperty("peakHeapBytesPerState", (double) r.peakHeap() / r.m().states());
                o.addProperty("engineBytesPerState", (double) r.m().engineBytes() / r.m().states());
                if (!quick) {
                    o.addProperty("livePeakBytes", r.livePeak());
                    o.addProperty("livePeakBytesPerState", (double) r.livePeak() / r.m().states());
                }
                o.addProperty("speedup", r.speedup());
                o.addProperty("stop", r.m().stop());
                a.add(o);
            }
            root.add("rows", a);
            out.println(JsonReport.pretty(root));
        }
        return Exit.OK.code;
    }

    /**
     * How much faster n threads run a fixed CPU-bound loop (no memory, no locks) than one, now: the most speedup any
     * search could show on this machine at this moment. On a shared machine it can be far below n.
     */
    private static double burnSpeedup(int n) {
        long one = burn(1);
        long many = burn(n);
        return (double) one * n / Math.max(1, many);
    }

    /** Nanoseconds for n threads to each run the same loop. */
    private static long burn(int n) {
        long start = System.nanoTime();
        Thread[] workers = new Thread[n];
        long[] sink = new long[n];
        for (int i = 0; i < n; i++) {
            int me = i;
            workers[i] = Thread.ofPlatform().start(() -> {
                long x = me;
                for (long j = 0; j < 300_000_000L; j++) {
                    x += j * j ^ (x >>> 3);
                }
                sink[me] = x;
            });
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        return System.nanoTime() - start;
    }

    /** CPU time of the whole process: with the wall time, it shows whether the threads got the cores. */
    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static Path defaultSpecs() {
        String home = System.getProperty("mmcheck.home");
        return home != null ? Path.of(home, "specs") : Path.of("specs");
    }

    private List<Exploration> explorations(Path dir) throws IOException, SpecException {
        List<Exploration> list = new ArrayList<>();
        list.add(toy(new Counters(4, 19), "toy counters 4x0..19"));
        if (!quick) {
            list.add(toy(new Counters(5, 19), "toy counters 5x0..19"));
            list.add(toy(new Counters(7, 9), "toy counters 7x0..9"));
            list.add(toyOpaque(new Counters(5, 19), "toy objects 5x0..19"));
            list.add(new Exploration("toy counters 5x0..19 por", "5 counters 0..19, sleep sets (3,200,000 states)",
                    (threads, progress) -> measure(new Counters(5, 19).withSleepSets(), threads, progress)));
        }
        if (large) {
            list.add(toy(new Counters(8, 9), "toy counters 8x0..9"));
        }
        String twoPages = Files.readString(dir.resolve("explore/anon-all-ops-2pages.mmc"));
        String onePage = Files.readString(dir.resolve("explore/anon-all-ops-1page.mmc"));
        if (quick) {
            list.add(mm("mm 1p 1page d5", variant(onePage, 1, 5)));
            list.add(mm("mm 2p 1page d4", variant(onePage, 2, 4)));
            return list;
        }
        list.add(mm("mm 1p 2pages d7", variant(twoPages, 1, 7)));
        list.add(mm("mm 2p 1page d6", onePage));
        list.add(mm("mm 2p 2pages d5", twoPages));
        list.add(mm("mm 2p 2pages d6", variant(twoPages, 2, 6)));
        // sleep sets: the same states, fewer transitions
        list.add(mm("mm 2p 2pages d6 por", variant(twoPages, 2, 6), false, true));
        list.add(mm("mm 3p 1page d6", variant(onePage, 3, 6)));
        list.add(mm("mm 3p 1page d6 sym", variant(onePage, 3, 6), true));
        list.add(mm("mm 3p 1page d6 por", variant(onePage, 3, 6), false, true));
        if (large) {
            list.add(mm("mm 2p 2pages d7", variant(twoPages, 2, 7)));
            list.add(mm("mm 2p 2pages d7 por", variant(twoPages, 2, 7), false, true));
            // the symmetry reduction where it counts most: 3 processes, 2 pages, off and on
            list.add(mm("mm 3p 2pages d6", variant(twoPages, 3, 6)));
            list.add(mm("mm 3p 2pages d6 sym", variant(twoPages, 3, 6), true));
            list.add(mm("mm 3p 2pages d6 por", variant(twoPages, 3, 6), false, true));
        }
        return list;
    }

    /** The spec text with its processes and depth lines replaced. */
    static String variant(String text, int processes, int depth) {
        return text.replaceFirst("(?m)^processes \\d+", "processes " + processes)
                .replaceFirst("(?m)^depth \\d+", "depth " + depth);
    }

    /**
     * The largest heap in use after a full collection, less the heap in use before the run, over a run with one
     * thread that collects each time the engine's own structures have grown by a quarter (so a few dozen times):
     * what the search really keeps alive, frontier included, at its largest.
     */
    private static long liveHeap(Exploration e) throws SpecException {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long[] lastEngine = {0};
        long[] livePeak = {0};
        long[] lastSample = {System.nanoTime()};
        e.run().run(1, s -> {
            long now = System.nanoTime();
            if (s.engineBytes() > lastEngine[0] * 5 / 4 || now - lastSample[0] > 10_000_000_000L) {
                lastEngine[0] = s.engineBytes();
                System.gc();
                livePeak[0] = Math.max(livePeak[0], rt.totalMemory() - rt.freeMemory() - before);
                lastSample[0] = System.nanoTime();
            }
        });
        return Math.max(0, livePeak[0]);
    }

    private static Exploration toy(Counters c, String name) {
        return new Exploration(name, String.format(Locale.ROOT, "%d counters 0..%d, packed frontier (%,d states)",
                c.n(), c.k(), c.states()), (threads, progress) -> measure(c, threads, progress));
    }

    private static Exploration toyOpaque(Counters c, String name) {
        return new Exploration(name, String.format(Locale.ROOT, "%d counters 0..%d, frontier of objects (%,d states)",
                c.n(), c.k(), c.states()), (threads, progress) -> measure(c.opaque(), threads, progress));
    }

    private static Measured measure(Model<int[], Integer> model, int threads, Consumer<Statistics> progress) {
        AtomicLong engine = new AtomicLong();
        CheckResult<int[], Integer> r = Checker.of(model).threads(threads).progress(p -> {
            engine.accumulateAndGet(p.engineBytes(), Math::max);
            progress.accept(p);
        }).check();
        Statistics s = r.statistics();
        return new Measured(s.distinctStates(), s.transitions(), s.elapsed().toNanos() / 1e9,
                Math.max(engine.get(), s.engineBytes()), s.stop().name().toLowerCase(Locale.ROOT));
    }

    private static Exploration mm(String name, String text) throws SpecException {
        return mm(name, text, false);
    }

    private static Exploration mm(String name, String text, boolean symmetry) throws SpecException {
        return mm(name, text, symmetry, false);
    }

    private static Exploration mm(String name, String text, boolean symmetry, boolean partialOrder) throws SpecException {
        Spec spec = SpecParser.parse(name, text);
        String what = spec.name() + ", " + spec.processes() + " processes, " + spec.pages() + " pages, depth " + spec.depth()
                + (symmetry ? ", symmetry" : "") + (partialOrder ? ", sleep sets" : "");
        return new Exploration(name, what, (threads, progress) -> {
            AtomicLong engine = new AtomicLong();
            CheckReport r = MmCheck.options().threads(threads).symmetry(symmetry).partialOrder(partialOrder).progress(s -> {
                engine.accumulateAndGet(s.engineBytes(), Math::max);
                progress.accept(s);
            }).check(spec);
            return new Measured(r.states(), r.transitions(), r.elapsed().toNanos() / 1e9,
                    Math.max(engine.get(), r.search().engineBytes()), r.stop().name().toLowerCase(Locale.ROOT));
        });
    }

    /**
     * The largest heap in use after any collection between {@link #start} and {@link #stop}, less the heap in use
     * (after a full collection) at the start. Read from the collectors' notifications, so it costs the search nothing.
     */
    private static final class PeakHeap implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final List<Runnable> removals = new ArrayList<>();
        private long before;

        PeakHeap() {
            NotificationListener listener = (notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                    used += u.getUsed();
                }
                peak.accumulateAndGet(used, Math::max);
            };
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                    removals.add(() -> {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (javax.management.ListenerNotFoundException e) {
                            // already gone
                        }
                    });
                }
            }
        }

        void start() {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            before = rt.totalMemory() - rt.freeMemory();
            peak.set(0);
        }

        long stop() {
            Runtime rt = Runtime.getRuntime();
            // A run too short to trigger a collection: what is in use now is the best bound there is.
            long now = rt.totalMemory() - rt.freeMemory();
            return Math.max(0, Math.max(peak.get(), peak.get() == 0 ? now : 0) - before);
        }

        @Override
        public void close() {
            removals.forEach(Runnable::run);
        }
    }
}
