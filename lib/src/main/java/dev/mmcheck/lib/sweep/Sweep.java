package dev.mmcheck.lib.sweep;

import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.RunSettings;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A research sweep: every spec under every release, arch and bound of a cartesian product, run inside one JVM on a
 * small pool of threads (each run single-threaded), with results in the order of the product whatever the pool
 * does. Depth and processes vary explorations only: a litmus spec's programs fix its depth and processes.
 *
 * <pre>{@code
 * Sweep.Result r = new Sweep(specs).profiles(Ranges.profiles("all")).depths(List.of(3, 4)).threads(4).run(p -> { });
 * String csv = SweepCsv.render(r);
 * }</pre>
 *
 * Immutable: each setter returns a new Sweep. Nothing here is static mutable state.
 */
public final class Sweep {
    /**
     * One run of the product.
     *
     * @param profile   the release it runs under, or null for the spec's own
     * @param arch      "" for the default (x86_64)
     * @param processes the process bound it runs with (the spec's, or the sweep's for an exploration)
     * @param depth     the depth bound (the spec's, or the sweep's for an exploration)
     */
    public record Run(int index, Spec spec, Profile profile, String arch, int processes, int depth) {
        /** The spec's own {@code set} lines, "point=choice;..." ("" for none). */
        public String set() {
            return String.join(";", spec.variants().stream().map(Spec.Variant::text).toList());
        }

        /** The release the run is under: the sweep's, or the spec's own. */
        public String release() {
            return profile != null ? profile.name() : spec.profile();
        }
    }

    /**
     * What one run gave: its report, or the one-line error that kept it from running (a setup step that cannot run
     * under that release, say), or neither when the sweep was interrupted before it started.
     *
     * @param peakHeapBytes the JVM's heap in use, highest of the samples taken at each progress report of the run and at
     *                      its end; with several runs in parallel it includes theirs
     */
    public record Outcome(Run run, Optional<CheckReport> report, String error, long peakHeapBytes, boolean notInRelease) {
        public Outcome(Run run, Optional<CheckReport> report, String error, long peakHeapBytes) {
            this(run, report, error, peakHeapBytes, false);
        }

        /** Checked, or found not to apply: the release refuses a setup step the spec's own profile runs. */
        public boolean ran() {
            return report.isPresent() || notInRelease;
        }
    }

    /** How a sweep ended, for its caller's exit status. */
    public enum Status { COMPLETE, INCOMPLETE, BAD_INPUT, CANCELLED }

    /** The outcomes, in the order of {@link #plan()}. */
    public record Result(List<Outcome> outcomes) {
        public Result {
            outcomes = List.copyOf(outcomes);
        }

        /** Cancelled if a run never started; else bad input if one could not run; else incomplete if a limit cut one. */
        public Status status() {
            if (outcomes.stream().anyMatch(o -> !o.ran() && o.error().isEmpty())) return Status.CANCELLED;
            if (outcomes.stream().anyMatch(o -> !o.ran())) return Status.BAD_INPUT;
            if (outcomes.stream().anyMatch(o -> o.report().isPresent() && o.report().get().incomplete())) return Status.INCOMPLETE;
            return Status.COMPLETE;
        }

        /** One row per run and property (a run that could not run: one row with verdict "error"), in run order. */
        public List<Row> rows() {
            List<Row> rows = new ArrayList<>();
            for (Outcome o : outcomes) rows.addAll(Row.of(o));
            return rows;
        }
    }

    /** A row of the tidy table: one run and one property. The CSV's columns, in order. */
    public record Row(String spec, String profile, String set, String arch, int processes, int pages, int depth, String property,
                      String kind, String verdict, long states, long transitions, int maxDepth, boolean exhaustive, long timeMs,
                      long peakHeapMb) {
        public static final List<String> COLUMNS = List.of("spec", "profile", "set", "arch", "processes", "pages", "depth",
                "property", "kind", "verdict", "states", "transitions", "max_depth", "exhaustive", "time_ms", "peak_heap_mb");

        static List<Row> of(Outcome o) {
            Run run = o.run();
            String arch = run.arch().isEmpty() ? "x86_64" : run.arch();
            long mb = o.peakHeapBytes() >> 20;
            if (o.notInRelease()) {
                List<Row> rows = new ArrayList<>();
                for (String[] p : properties(run.spec())) {
                    rows.add(new Row(run.spec().name(), run.release(), run.set(), arch, run.processes(), run.spec().pages(), run.depth(),
                            p[0], p[1], "not_applicable", 0, 0, 0, true, 0, mb));
                }
                return rows;
            }
            if (o.report().isEmpty()) {
                if (o.error().isEmpty()) return List.of();
                return List.of(new Row(run.spec().name(), run.release(), run.set(), arch, run.processes(), run.spec().pages(),
                        run.depth(), "", "", "error", 0, 0, 0, false, 0, mb));
            }
            CheckReport r = o.report().get();
            List<Row> rows = new ArrayList<>();
            for (PropertyReport p : r.properties()) {
                rows.add(new Row(r.spec(), run.release(), run.set(), arch, run.processes(), run.spec().pages(), run.depth(), p.name(),
                        p.kind().name().toLowerCase(), p.verdict().name().toLowerCase(), r.states(), r.transitions(),
                        r.maxDepthReached(), r.exhaustive(), r.elapsed().toMillis(), mb));
            }
            return rows;
        }

        /** The spec's properties as a run reports them, in its order: name and kind. */
        static List<String[]> properties(Spec spec) {
            List<String[]> out = new ArrayList<>();
            spec.outcome().ifPresent(o -> out.add(new String[] {o.describe(), "outcome"}));
            for (String c : spec.checks()) out.add(new String[] {c, "invariant"});
            for (String w : spec.witnesses()) out.add(new String[] {w, "witness"});
            return out;
        }

        public List<String> values() {
            return List.of(spec, profile, set, arch, String.valueOf(processes), String.valueOf(pages), String.valueOf(depth), property,
                    kind, verdict, String.valueOf(states), String.valueOf(transitions), String.valueOf(maxDepth),
                    String.valueOf(exhaustive), String.valueOf(timeMs), String.valueOf(peakHeapMb));
        }
    }

    /** Progress: runs finished of all, for a progress bar. */
    public record Progress(int done, int total, Run last) {
    }

    private final List<Spec> specs;
    private final List<Profile> profiles;
    private final List<String> arches;
    private final List<Integer> depths;
    private final List<Integer> processes;
    private final int threads;
    private final RunSettings settings;

    public Sweep(List<Spec> specs) {
        this(specs, List.of(), List.of(""), List.of(), List.of(), 1, RunSettings.defaults());
    }

    private Sweep(List<Spec> specs, List<Profile> profiles, List<String> arches, List<Integer> depths, List<Integer> processes,
                  int threads, RunSettings settings) {
        this.specs = List.copyOf(specs);
        this.profiles = List.copyOf(profiles);
        this.arches = List.copyOf(arches);
        this.depths = List.copyOf(depths);
        this.processes = List.copyOf(processes);
        this.threads = threads;
        this.settings = Objects.requireNonNull(settings);
    }

    /** The releases to run under; empty (the default) runs each spec under its own profile. */
    public Sweep profiles(List<Profile> p) {
        return new Sweep(specs, p, arches, depths, processes, threads, settings);
    }

    /** Architectures by name ("" for the default, x86_64), each checked with {@link dev.mmcheck.lib.Lookup#arch}. */
    public Sweep arches(List<String> a) {
        for (String name : a) {
            if (!name.isEmpty()) dev.mmcheck.lib.Lookup.arch(name);
        }
        return new Sweep(specs, profiles, a.isEmpty() ? List.of("") : a, depths, processes, threads, settings);
    }

    /** Depth bounds for explorations; empty (the default) keeps each spec's. */
    public Sweep depths(List<Integer> d) {
        return new Sweep(specs, profiles, arches, d, processes, threads, settings);
    }

    /** Process bounds for explorations; empty (the default) keeps each spec's. */
    public Sweep processes(List<Integer> p) {
        return new Sweep(specs, profiles, arches, depths, p, threads, settings);
    }

    /** Runs at once (each single-threaded); results do not depend on it. */
    public Sweep threads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        return new Sweep(specs, profiles, arches, depths, processes, n, settings);
    }

    public Sweep timeLimit(Duration d) {
        return new Sweep(specs, profiles, arches, depths, processes, threads, settings.withTimeLimit(d));
    }

    public Sweep memoryLimit(long bytes) {
        return new Sweep(specs, profiles, arches, depths, processes, threads, settings.withMemoryLimit(bytes));
    }

    public Sweep cancellation(Cancellation c) {
        return new Sweep(specs, profiles, arches, depths, processes, threads, settings.withCancellation(c));
    }

    /**
     * The runs, in the order results are reported: spec (as given), release (as given), arch, processes, depth. A
     * process bound too small for what a spec's setup names is bad input.
     */
    public List<Run> plan() throws SpecException {
        List<Run> runs = new ArrayList<>();
        for (Spec spec : specs) {
            List<Profile> ps = profiles.isEmpty() ? Collections.singletonList(null) : profiles;
            List<Integer> procs = spec.isExploration() && !processes.isEmpty() ? processes : List.of(spec.processes());
            List<Integer> ds = spec.isExploration() && !depths.isEmpty() ? depths : List.of(spec.depth());
            for (int n : procs) {
                int needed = processesNamed(spec);
                if (n < needed) {
                    throw new SpecException(spec.file(), 1, 1, "the setup names P" + (needed - 1) + ", so a sweep over --processes "
                            + n + " cannot run this spec; give at least " + needed);
                }
            }
            for (Profile p : ps) {
                for (String arch : arches) {
                    for (int n : procs) {
                        for (int d : ds) runs.add(new Run(runs.size(), spec, p, arch, n, d));
                    }
                }
            }
        }
        return runs;
    }

    /** The process slots a spec's setup uses (a process named or forked into), at least 1. */
    private static int processesNamed(Spec spec) {
        int n = 1;
        for (Spec.SetupStep s : spec.setup()) {
            n = Math.max(n, s.pid().index() + 1);
            if (s.step() instanceof dev.mmcheck.model.scenario.ProgramStep.Fixed f && f.op() instanceof Op.Fork fork) {
                n = Math.max(n, fork.child().index() + 1);
            }
        }
        return n;
    }

    /** Runs the product; {@code progress} hears of each finished run (from the pool's threads). */
    public Result run(Consumer<? super Progress> progress) throws SpecException {
        List<Run> runs = plan();
        Outcome[] outcomes = new Outcome[runs.size()];
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("mmcheck-sweep-", 0).daemon().factory());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Run run : runs) {
                futures.add(pool.submit(() -> {
                    outcomes[run.index()] = settings.cancellation().isCancelled() ? new Outcome(run, Optional.empty(), "", 0) : execute(run);
                    progress.accept(new Progress(done.incrementAndGet(), runs.size(), run));
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    settings.cancellation().cancel();
                }
            }
        } finally {
            pool.shutdownNow();
            pool.close();
        }
        List<Outcome> list = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) list.add(outcomes[i] != null ? outcomes[i] : new Outcome(runs.get(i), Optional.empty(), "", 0));
        return new Result(list);
    }

    private Outcome execute(Run run) {
        long[] peak = {0};
        Runtime rt = Runtime.getRuntime();
        MmCheck.Options o = MmCheck.options().threads(1).memoryLimit(settings.memoryLimit()).cancellation(settings.cancellation())
                .progress(s -> peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory()));
        if (settings.timeLimit() != null) o = o.timeLimit(settings.timeLimit());
        if (run.profile() != null) o = o.profile(run.profile());
        if (!run.arch().isEmpty()) o = o.arch(run.arch());
        try {
            CheckReport r = o.check(bounded(run.spec(), run.processes(), run.depth()));
            peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
            return new Outcome(run, Optional.of(r), "", peak[0]);
        } catch (SpecException e) {
            if (e.refusedByRelease() && runsUnderItsOwnProfile(run.spec())) {
                // the release lacks what a setup step needs (uffd-wp on shmem before v5.19, say): not applicable there
                return new Outcome(run, Optional.empty(), e.render(), peak[0], true);
            }
            return new Outcome(run, Optional.empty(), e.render(), peak[0]);
        }
    }

    /** The spec's setup runs under the profile it names: a refusal elsewhere is then the release's, not the spec's. */
    private static boolean runsUnderItsOwnProfile(Spec spec) {
        try {
            dev.mmcheck.lib.run.Runner.initialState(spec, dev.mmcheck.lib.run.Runner.profileFor(spec,
                    dev.mmcheck.model.profile.Profiles.named(spec.profile()).orElseThrow()));
            return true;
        } catch (SpecException | java.util.NoSuchElementException e) {
            return false;
        }
    }

    /** The spec with other process and depth bounds (explorations). */
    static Spec bounded(Spec s, int processes, int depth) {
        if (processes == s.processes() && depth == s.depth()) return s;
        return new Spec(s.file(), s.text(), s.name(), s.title(), s.cites(), s.profile(), s.variants(), processes, s.pages(), depth,
                s.maxStates(), s.setup(), s.programs(), s.alphabet(), s.checks(), s.witnesses(), s.outcome(), s.labels(), s.warnings());
    }

    /** Every release on the timeline (what {@code all} means). */
    public static List<Profile> allReleases() {
        return Profiles.ALL;
    }
}
