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
import dev.mmcheck.checker.Stop;
import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.run.Verdict;
import dev.mmcheck.lib.spec.SpecParser;
import java.io.Serializable;
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
     * under that release, say), or neither when the sweep was interrupted before it started. A run made in another JVM
     * (a {@link Distributor}'s task) comes back as its {@link Summary} only, without the report.
     *
     * @param summary       what the tables, plots and JSON read of the report: present whenever the run was checked
     * @param peakHeapBytes the JVM's heap in use, highest of the samples taken at each progress report of the run and at
     *                      its end; with several runs in parallel it includes theirs
     */
    public record Outcome(Run run, Optional<CheckReport> report, Optional<Summary> summary, String error, long peakHeapBytes,
                          boolean notInRelease) {
        public Outcome {
            if (report.isPresent() && summary.isEmpty()) summary = Optional.of(Summary.of(report.get()));
        }

        public Outcome(Run run, Optional<CheckReport> report, String error, long peakHeapBytes, boolean notInRelease) {
            this(run, report, Optional.empty(), error, peakHeapBytes, notInRelease);
        }

        public Outcome(Run run, Optional<CheckReport> report, String error, long peakHeapBytes) {
            this(run, report, error, peakHeapBytes, false);
        }

        /** Checked, or found not to apply: the release refuses a setup step the spec's own profile runs. */
        public boolean ran() {
            return summary.isPresent() || notInRelease;
        }
    }

    /**
     * What a sweep's outputs read of one run's {@link CheckReport}: small and serializable, so that a run made in
     * another JVM comes back as this.
     */
    public record Summary(CheckReport.Status status, long states, long transitions, int maxDepthReached, Stop stop,
                          boolean exhaustive, Duration elapsed, List<Property> properties) implements Serializable {
        public Summary {
            properties = List.copyOf(properties);
        }

        /** One property's verdict. */
        public record Property(String name, PropertyReport.Kind kind, Verdict verdict) implements Serializable {
        }

        public static Summary of(CheckReport r) {
            return new Summary(r.status(), r.states(), r.transitions(), r.maxDepthReached(), r.stop(), r.exhaustive(),
                    r.elapsed(), r.properties().stream().map(p -> new Property(p.name(), p.kind(), p.verdict())).toList());
        }

        /** A limit cut the run short with properties undecided. */
        public boolean incomplete() {
            return status == CheckReport.Status.INCOMPLETE;
        }
    }

    /**
     * Runs a sweep's runs somewhere other than this JVM's pool: the Spark engine ({@code sweep --engine spark}) runs
     * one per task. Each task rebuilds its run from a {@link Task} and gives back a {@link Remote}.
     */
    public interface Distributor {
        /** "spark (master local[2])". */
        String describe();

        /**
         * Runs the tasks and hands each result to {@code done} (on the calling thread, in any order) as it comes
         * back; returns when every task has given its result, or soon after {@code cancellation} is cancelled (the
         * tasks without a result are then reported as not run).
         */
        void run(List<Task> tasks, Cancellation cancellation, Consumer<Remote> done);
    }

    /**
     * A run as text and names, for another JVM: the spec's file name and text (with its own {@code set} lines), the
     * release's name (null for the spec's own), the arch, the bounds and the limits.
     *
     * @param memoryLimit 0 for 90% of the heap of the JVM the task runs in
     * @param timeLimit   null for none
     */
    public record Task(int index, String file, String text, String profile, String arch, int processes, int depth,
                       long memoryLimit, Duration timeLimit) implements Serializable {

        /** Parses the spec, runs it single-threaded in this JVM and gives what came of it. */
        public Remote execute() {
            Run run;
            try {
                Spec spec = SpecParser.parse(file, text);
                run = new Run(index, spec, profile == null ? null : Lookup.profile(profile), arch,
                        processes, depth);
            } catch (SpecException e) {
                return new Remote(index, null, "the spec no longer parses where it runs: " + e.render(), 0, false);
            }
            RunSettings s = RunSettings.defaults();
            if (memoryLimit > 0) s = s.withMemoryLimit(memoryLimit);
            if (timeLimit != null) s = s.withTimeLimit(timeLimit);
            Outcome o = Sweep.execute(run, s);
            return new Remote(index, o.summary().orElse(null), o.error(), o.peakHeapBytes(), o.notInRelease());
        }
    }

    /** What a {@link Task} gave: an {@link Outcome} without its run (the driver has it) or report. */
    public record Remote(int index, Summary summary, String error, long peakHeapBytes, boolean notInRelease)
            implements Serializable {
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
            if (outcomes.stream().anyMatch(o -> o.summary().isPresent() && o.summary().get().incomplete())) return Status.INCOMPLETE;
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
            if (o.summary().isEmpty()) {
                if (o.error().isEmpty()) return List.of();
                return List.of(new Row(run.spec().name(), run.release(), run.set(), arch, run.processes(), run.spec().pages(),
                        run.depth(), "", "", "error", 0, 0, 0, false, 0, mb));
            }
            Summary r = o.summary().get();
            List<Row> rows = new ArrayList<>();
            for (Summary.Property p : r.properties()) {
                rows.add(new Row(run.spec().name(), run.release(), run.set(), arch, run.processes(), run.spec().pages(), run.depth(),
                        p.name(), p.kind().name().toLowerCase(), p.verdict().name().toLowerCase(), r.states(), r.transitions(),
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
    private final Distributor distributor;

    public Sweep(List<Spec> specs) {
        this(specs, List.of(), List.of(""), List.of(), List.of(), 1, RunSettings.defaults(), null);
    }

    private Sweep(List<Spec> specs, List<Profile> profiles, List<String> arches, List<Integer> depths, List<Integer> processes,
                  int threads, RunSettings settings, Distributor distributor) {
        this.specs = List.copyOf(specs);
        this.profiles = List.copyOf(profiles);
        this.arches = List.copyOf(arches);
        this.depths = List.copyOf(depths);
        this.processes = List.copyOf(processes);
        this.threads = threads;
        this.settings = Objects.requireNonNull(settings);
        this.distributor = distributor;
    }

    /** The releases to run under; empty (the default) runs each spec under its own profile. */
    public Sweep profiles(List<Profile> p) {
        return new Sweep(specs, p, arches, depths, processes, threads, settings, distributor);
    }

    /** Architectures by name ("" for the default, x86_64), each checked with {@link dev.mmcheck.lib.Lookup#arch}. */
    public Sweep arches(List<String> a) {
        for (String name : a) {
            if (!name.isEmpty()) dev.mmcheck.lib.Lookup.arch(name);
        }
        return new Sweep(specs, profiles, a.isEmpty() ? List.of("") : a, depths, processes, threads, settings, distributor);
    }

    /** Depth bounds for explorations; empty (the default) keeps each spec's. */
    public Sweep depths(List<Integer> d) {
        return new Sweep(specs, profiles, arches, d, processes, threads, settings, distributor);
    }

    /** Process bounds for explorations; empty (the default) keeps each spec's. */
    public Sweep processes(List<Integer> p) {
        return new Sweep(specs, profiles, arches, depths, p, threads, settings, distributor);
    }

    /** Runs at once (each single-threaded); results do not depend on it. */
    public Sweep threads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        return new Sweep(specs, profiles, arches, depths, processes, n, settings, distributor);
    }

    public Sweep timeLimit(Duration d) {
        return new Sweep(specs, profiles, arches, depths, processes, threads, settings.withTimeLimit(d), distributor);
    }

    public Sweep memoryLimit(long bytes) {
        return new Sweep(specs, profiles, arches, depths, processes, threads, settings.withMemoryLimit(bytes), distributor);
    }

    public Sweep cancellation(Cancellation c) {
        return new Sweep(specs, profiles, arches, depths, processes, threads, settings.withCancellation(c), distributor);
    }

    /**
     * Runs go to {@code d} (one per task, each single-threaded) instead of this JVM's pool; {@link #threads} then
     * does not apply. Each task rebuilds its spec from the text, so the specs' decision points must be those of their
     * own {@code set} lines: {@link #plan()} refuses a spec changed by {@code --set} or a plugin. A run's memory
     * limit is then 90% of the heap of the JVM it runs in.
     */
    public Sweep distributed(Distributor d) {
        return new Sweep(specs, profiles, arches, depths, processes, threads, settings, Objects.requireNonNull(d));
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
            if (distributor != null && !SpecParser.parse(spec.file(), spec.text()).variants().stream().map(Spec.Variant::text).toList()
                    .equals(spec.variants().stream().map(Spec.Variant::text).toList())) {
                throw new SpecException(spec.file(), 1, 1, "--set and --plugin do not reach " + distributor.describe()
                        + " (each task rebuilds the spec from its text); put the choice in the spec with a 'set' line, or sweep locally");
            }
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
        if (distributor != null) return distribute(runs, progress);
        Outcome[] outcomes = new Outcome[runs.size()];
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("mmcheck-sweep-", 0).daemon().factory());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Run run : runs) {
                futures.add(pool.submit(() -> {
                    outcomes[run.index()] = settings.cancellation().isCancelled() ? new Outcome(run, Optional.empty(), "", 0)
                            : execute(run, settings);
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

    /** The runs as tasks on the distributor; progress hears of each result as it comes back. */
    private Result distribute(List<Run> runs, Consumer<? super Progress> progress) {
        List<Task> tasks = new ArrayList<>();
        for (Run run : runs) {
            tasks.add(new Task(run.index(), run.spec().file(), run.spec().text(), run.profile() == null ? null : run.profile().name(),
                    run.arch(), run.processes(), run.depth(), 0, settings.timeLimit()));
        }
        Outcome[] outcomes = new Outcome[runs.size()];
        int[] done = {0};
        distributor.run(tasks, settings.cancellation(), r -> {
            Run run = runs.get(r.index());
            outcomes[r.index()] = new Outcome(run, Optional.empty(), Optional.ofNullable(r.summary()), r.error(), r.peakHeapBytes(),
                    r.notInRelease());
            progress.accept(new Progress(++done[0], runs.size(), run));
        });
        List<Outcome> list = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) list.add(outcomes[i] != null ? outcomes[i] : new Outcome(runs.get(i), Optional.empty(), "", 0));
        return new Result(list);
    }

    private static Outcome execute(Run run, RunSettings settings) {
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
