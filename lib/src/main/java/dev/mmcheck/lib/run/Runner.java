package dev.mmcheck.lib.run;

import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Path;
import dev.mmcheck.checker.Property;
import dev.mmcheck.checker.PropertyResult;
import dev.mmcheck.checker.Statistics;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.model.invariant.Catalogue;
import dev.mmcheck.model.invariant.Invariant;
import dev.mmcheck.model.invariant.Reachability;
import dev.mmcheck.model.invariant.Violation;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Decision;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Constraints;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Release;
import dev.mmcheck.model.rules.KernelNames;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.scenario.Exploration;
import dev.mmcheck.model.scenario.Programs;
import dev.mmcheck.model.scenario.Scenario;
import dev.mmcheck.model.state.MmState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/** Runs one spec under one profile: builds the scenario and properties, runs the checker, reports. */
public final class Runner {
    private final RunSettings settings;

    public Runner(RunSettings settings) {
        this.settings = settings;
    }

    /** Default settings with this many threads. */
    public Runner(int threads) {
        this(RunSettings.defaults().withThreads(threads));
    }

    /** The spec's profile, or {@code override}, with the spec's variants (set lines, --set, --plugin) applied. */
    public static Profile profileFor(Spec spec, Profile base) {
        Profile p = base;
        for (Spec.Variant v : spec.variants()) {
            p = v.plugin() != null ? p.withPlugin(v.plugin()) : p.with(v.point(), v.choice());
        }
        return p;
    }

    /**
     * {@link #profileFor}, refused when its choices do not fit together ({@link Constraints}): one message naming both
     * points and where the offending choice was set.
     */
    public static Profile consistentProfile(Spec spec, Profile base) throws SpecException {
        Profile p = profileFor(spec, base);
        List<Constraints.Conflict> bad = Constraints.conflicts(p);
        if (bad.isEmpty()) return p;
        Constraints.Conflict c = bad.get(0);
        String where = spec.variants().stream().filter(v -> v.point() == c.rule().point() || v.point() == c.rule().needs())
                .map(Spec.Variant::origin).filter(o -> !o.isEmpty()).findFirst().orElse("");
        // Choices that fit the spec's own release but not this one: the release cannot run the spec's variant (a sweep
        // reports it as not applicable there), as a setup step a release refuses.
        boolean fitsOwnRelease = dev.mmcheck.model.profile.Profiles.named(spec.profile())
                .map(own -> Constraints.conflicts(profileFor(spec, own)).isEmpty()).orElse(false);
        throw new SpecException(spec.file(), 0, 0, "inconsistent choices" + (where.isEmpty() ? "" : " (set at " + where + ")") + ": "
                + String.join("; ", bad.stream().map(Constraints.Conflict::message).toList()), fitsOwnRelease);
    }

    /** The setup's operations followed by the path's: the sequence a counterexample minimiser shrinks. */
    private static <S, A> List<Op> operations(Spec spec, Profile profile, Scenario<S, A> scenario, Path<S, A> p) {
        List<Op> ops = new ArrayList<>(setupOps(spec, profile));
        for (int i = 0; i < p.actions().size(); i++) ops.add(scenario.operation(p.states().get(i), p.actions().get(i)));
        return ops;
    }

    /** The setup's operations as they run (steps on a reference resolved in the state they run in). */
    static List<Op> setupOps(Spec spec, Profile profile) {
        List<Op> ops = new ArrayList<>();
        MmState s = MmState.initial(spec.processes(), spec.pages());
        for (Spec.SetupStep step : spec.setup()) {
            Op op = step.step().resolve(s).orElseThrow();
            ops.add(op);
            s = Rules.apply(s, profile, op).after();
        }
        return ops;
    }

    /** The initial MM state: the spec's setup run in order. A setup step that fails is bad input. */
    public static MmState initialState(Spec spec, Profile profile) throws SpecException {
        MmState s = MmState.initial(spec.processes(), spec.pages());
        for (Spec.SetupStep step : spec.setup()) {
            Optional<Op> op = step.step().resolve(s);
            String what = "setup step '" + step.step().text() + "' cannot run under " + profile.name() + ": ";
            if (op.isEmpty()) {
                throw new SpecException(spec.file(), step.line(), step.column(), what + "the reference it names does not exist at this point");
            }
            if (!s.process(step.pid()).alive()) {
                throw new SpecException(spec.file(), step.line(), step.column(), what + step.pid() + " does not exist at this point "
                        + "(it exited, or no earlier setup step forks it)");
            }
            if (op.get() instanceof Op.Fork f && s.process(f.child()).alive()) {
                throw new SpecException(spec.file(), step.line(), step.column(), what + f.child() + " exists already; fork needs a free process slot");
            }
            Step r = Rules.apply(s, profile, op.get());
            if (r.outcome() != Step.Outcome.DONE) {
                String why = r.path().isEmpty() ? "the call fails" : String.join(" -> ", r.path());
                throw new SpecException(spec.file(), step.line(), step.column(), what + why, true);
            }
            s = r.after();
        }
        return s;
    }

    public CheckReport check(Spec spec, Profile base) throws SpecException {
        return check(spec, base, "");
    }

    /** @param arch the architecture whose features {@code base} was adapted to, or "" for the default (x86_64) */
    public CheckReport check(Spec spec, Profile base, String arch) throws SpecException {
        try {
            return check(prepare(spec, base, settings.symmetry(), settings.partialOrder()), arch);
        } catch (RuntimeException e) {
            throw pluginFailure(spec, e).orElseThrow(() -> e);
        }
    }

    /** A rule plugin that threw (maybe on a search thread) as bad input naming the plugin, else empty. */
    static Optional<SpecException> pluginFailure(Spec spec, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.mmcheck.model.plugin.PluginFailure f) {
                return Optional.of(new SpecException(spec.file(), 0, 0, f.getMessage() + (f.getCause() != null
                        && f.getCause().getStackTrace().length > 0 ? " at " + f.getCause().getStackTrace()[0] : "")));
            }
        }
        return Optional.empty();
    }

    /**
     * A spec's model and properties, built but not searched: what {@link #check} searches, and what
     * {@link SpecSource#open()} rebuilds in another JVM for an {@link Engine}.
     *
     * @param finalStateSeen set when an evaluated state has every program finished (see {@link #prepare})
     */
    record Prepared<S, A>(Spec spec, Profile profile, Scenario<S, A> scenario, Model<S, A> model,
                          List<Property<S>> properties, List<String> order, Map<String, PropertyReport> notApplicable,
                          Map<String, Invariant> invariants, AtomicBoolean finalStateSeen) {
    }

    static Prepared<?, ?> prepare(Spec spec, Profile base) throws SpecException {
        return prepare(spec, base, false);
    }

    /** @param symmetry count an exploration's states up to a renaming of processes where that is sound */
    static Prepared<?, ?> prepare(Spec spec, Profile base, boolean symmetry) throws SpecException {
        return prepare(spec, base, symmetry, false);
    }

    /** @param partialOrder give an exploration's search sleep ids and footprints (partial-order reduction by sleep sets) */
    static Prepared<?, ?> prepare(Spec spec, Profile base, boolean symmetry, boolean partialOrder) throws SpecException {
        Profile profile = consistentProfile(spec, base);
        MmState init = initialState(spec, profile);
        if (spec.isExploration()) {
            // the exploration itself decides whether its pages are interchangeable (one process: nothing else to rename)
            boolean symmetric = symmetry && Exploration.symmetryRefusal(spec.alphabet()).isEmpty();
            return prepare(spec, profile, new Exploration(profile, init, spec.alphabet(), symmetric, partialOrder),
                    s -> true);
        }
        Programs programs = new Programs(profile, init, spec.programs());
        return prepare(spec, profile, programs, programs::finished);
    }

    /**
     * A saved trace re-executed.
     *
     * @param trace      the steps that could be replayed
     * @param divergedAt the 1-based step where the replay departs from the recorded calls, or 0
     * @param divergence what differs at that step
     * @param violated   the property is violated at the last replayed state (false if it diverged)
     */
    public record Replayed(Trace trace, int divergedAt, String divergence, boolean violated, String detail) {
    }

    /**
     * Re-executes a trace (action indices, and the calls they were recorded as) of a spec under a base
     * profile (the spec's variants applied on top), step by step, and evaluates the named property at
     * its end. The replay diverges at the first step whose action no longer exists or is now a different call.
     */
    public static Replayed replay(Spec spec, Profile base, int initialIndex, List<Integer> actionIndices,
                                  List<String> recordedCalls, String property) throws SpecException {
        Profile profile = profileFor(spec, base);
        MmState init = initialState(spec, profile);
        if (spec.isExploration()) {
            return replay(spec, profile, new Exploration(profile, init, spec.alphabet()), s -> true, initialIndex, actionIndices,
                    recordedCalls, property);
        }
        Programs programs = new Programs(profile, init, spec.programs());
        return replay(spec, profile, programs, programs::finished, initialIndex, actionIndices, recordedCalls, property);
    }

    private static <S, A> Replayed replay(Spec spec, Profile profile, Scenario<S, A> scenario, Predicate<S> finished, int initialIndex,
                                          List<Integer> actionIndices, List<String> recordedCalls, String property) {
        IntFunction<String> labelName = l -> spec.labels().get(l - 1);
        S state = scenario.initialStates().get(initialIndex);
        List<Trace.TraceStep> steps = new ArrayList<>();
        List<StateView> views = new ArrayList<>();
        views.add(StateView.of(scenario.mm(state), labelName));
        List<Integer> done = new ArrayList<>();
        for (int i = 0; i < actionIndices.size(); i++) {
            List<A> enabled = new ArrayList<>();
            scenario.enabled(state, enabled);
            int idx = actionIndices.get(i);
            String recorded = i < recordedCalls.size() ? recordedCalls.get(i) : "?";
            // Steps are found by their call; the recorded index is only where to look first.
            int found = -1;
            if (idx >= 0 && idx < enabled.size() && scenario.describe(state, enabled.get(idx)).equals(recorded)) {
                found = idx;
            } else {
                for (int a = 0; a < enabled.size(); a++) {
                    if (scenario.describe(state, enabled.get(a)).equals(recorded)) {
                        found = a;
                        break;
                    }
                }
            }
            if (found < 0) {
                return diverged(new Trace(initialIndex, done, steps, views), i + 1, "recorded '" + recorded
                        + "', which is not among the " + enabled.size() + " operations possible now");
            }
            A action = enabled.get(found);
            S next = scenario.next(state, action);
            if (next == null) {
                return diverged(new Trace(initialIndex, done, steps, views), i + 1, "recorded '" + recorded + "', which now changes nothing");
            }
            Step step = scenario.step(state, action);
            steps.add(new Trace.TraceStep(scenario.operation(state, action).pid().index(), recorded, inRelease(step.path(), profile),
                    StateDiff.changes(scenario.mm(state), scenario.mm(next), labelName)));
            done.add(found);
            views.add(StateView.of(scenario.mm(next), labelName));
            state = next;
        }
        Trace trace = new Trace(initialIndex, done, steps, views);
        MmState last = scenario.mm(state);
        Optional<Invariant> inv = Catalogue.invariant(property);
        if (inv.isPresent()) {
            Optional<Violation> v = inv.get().check(profile, last);
            return new Replayed(trace, 0, "", v.isPresent(), v.map(Violation::detail).orElse(""));
        }
        Spec.Outcome o = spec.outcome().filter(x -> x.describe().equals(property))
                .orElseThrow(() -> new IllegalArgumentException("the spec has no property '" + property + "'"));
        boolean met = finished.test(state) && o.condition().test(profile, last);
        boolean violated = o.exists() != met;
        return new Replayed(trace, 0, "", violated, violated ? "final state reached where " + o.text() : "");
    }

    /** The kernel path as the profile's release names its functions. */
    private static List<String> inRelease(List<String> path, Profile profile) {
        Release release = Release.parse(profile.release());
        return path.stream().map(s -> KernelNames.inRelease(s, release)).toList();
    }

    private static Replayed diverged(Trace trace, int at, String why) {
        return new Replayed(trace, at, why, false, "");
    }

    private static <S, A> Prepared<S, A> prepare(Spec spec, Profile profile, Scenario<S, A> scenario, Predicate<S> finished) {
        List<Property<S>> props = new ArrayList<>();
        Map<String, PropertyReport> notApplicable = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        Map<String, Invariant> invariants = new LinkedHashMap<>();
        // Set when an evaluated state has every program finished. The outcome property is evaluated on every state
        // until it is decided, and deciding it takes a finished state, so this says exactly whether the search
        // reached a final state, without changing what the search explores.
        AtomicBoolean finalStateSeen = new AtomicBoolean();
        spec.outcome().ifPresent(o -> {
            Predicate<S> met = s -> {
                if (!finished.test(s)) return false;
                finalStateSeen.set(true);
                return o.condition().test(profile, scenario.mm(s));
            };
            props.add(o.exists() ? Property.sometimes(o.describe(), met) : Property.always(o.describe(), met.negate()));
            order.add(o.describe());
        });
        for (String name : spec.checks()) {
            Invariant inv = Catalogue.invariant(name).orElseThrow();
            order.add(name);
            if (!inv.appliesTo().test(profile)) {
                notApplicable.put(name, new PropertyReport(name, PropertyReport.Kind.INVARIANT, inv.sentence(), inv.citation(),
                        Verdict.NOT_APPLICABLE, Optional.empty(), "applies only where " + inv.appliesTo().when() + "; not " + profile.name(),
                        Optional.empty(), List.of()));
                continue;
            }
            invariants.put(name, inv);
            props.add(Property.always(name, s -> inv.holds(profile, scenario.mm(s))));
        }
        for (String name : spec.witnesses()) {
            Reachability w = Catalogue.witness(name).orElseThrow();
            order.add(name);
            props.add(Property.sometimes(name, s -> w.reached().test(scenario.mm(s))));
        }
        return new Prepared<>(spec, profile, scenario, new ScenarioModel<>(scenario), props, order, notApplicable, invariants,
                finalStateSeen);
    }

    private <S, A> CheckReport check(Prepared<S, A> prepared, String arch) {
        Spec spec = prepared.spec();
        Profile profile = prepared.profile();
        Scenario<S, A> scenario = prepared.scenario();
        List<Property<S>> props = prepared.properties();
        List<String> order = prepared.order();
        Map<String, PropertyReport> notApplicable = prepared.notApplicable();
        Map<String, Invariant> invariants = prepared.invariants();
        AtomicBoolean finalStateSeen = prepared.finalStateSeen();
        int maxStates = (int) Math.min(spec.maxStates(), Checker.MAX_STATES);
        CheckResult<S, A> result;
        Engine engine = settings.engine();
        if (engine != null) {
            if (settings.partialOrder()) {
                throw new IllegalArgumentException("partial-order reduction runs on the local engine only, not on "
                        + engine.describe());
            }
            SpecSource source = new SpecSource(spec.file(), spec.text(), settings.profileName(), arch, settings.symmetry());
            if (!Runner.profileFor(spec, source.base(spec)).equals(profile)) {
                throw new IllegalArgumentException("engine " + engine.describe() + " runs named profiles only: profile "
                        + profile.name() + " cannot be rebuilt by name on the executors");
            }
            Engine.Outcome<S, A> outcome = engine.check(new Engine.Job<>(prepared.model(), props, source, spec.depth(),
                    maxStates, settings.stopAtFirstViolation(), settings.timeLimit(), settings.cancellation(),
                    settings.strategy(), settings.fingerprintBits()));
            result = outcome.result();
            if (outcome.observed()) finalStateSeen.set(true);
        } else {
            Checker<S, A> checker = Checker.of(prepared.model()).properties(props).maxDepth(spec.depth())
                    .maxStates(maxStates).threads(settings.threads())
                    .memoryLimit(settings.memoryLimit()).cancellation(settings.cancellation()).progress(settings.progress())
                    .strategy(settings.strategy()).stopAtFirstViolation(settings.stopAtFirstViolation())
                    .fingerprintBits(settings.fingerprintBits());
            if (settings.timeLimit() != null) checker = checker.timeLimit(settings.timeLimit());
            result = checker.check();
        }
        Statistics st = result.statistics();
        IntFunction<String> labelName = l -> spec.labels().get(l - 1);
        List<PropertyReport> reports = new ArrayList<>();
        for (String name : order) {
            if (notApplicable.containsKey(name)) {
                reports.add(notApplicable.get(name));
                continue;
            }
            PropertyResult<S, A> r = result.result(name);
            Optional<Trace> trace = r.path().map(p -> trace(scenario, profile, p, labelName));
            String detail = "";
            List<Violation.Culprit> culprits = List.of();
            Optional<Minimizer.Minimized> minimal = Optional.empty();
            PropertyReport.Kind kind;
            String sentence;
            String citation;
            // A strategy that cannot be exhaustive leaves every undecided property undecided outside what it explored.
            boolean incomplete = st.stop().incomplete() || !st.strategy().canBeExhaustive();
            Verdict verdict = verdict(r.status(), incomplete);
            if (invariants.containsKey(name)) {
                Invariant inv = invariants.get(name);
                kind = PropertyReport.Kind.INVARIANT;
                sentence = inv.sentence();
                citation = inv.citation();
                if (r.path().isPresent()) {
                    Violation v = inv.check(profile, scenario.mm(r.path().get().lastState())).orElseThrow();
                    detail = v.detail();
                    culprits = v.culprits();
                    minimal = Optional.of(Minimizer.minimize(MmState.initial(spec.processes(), spec.pages()), profile,
                            operations(spec, profile, scenario, r.path().get()), s -> !inv.holds(profile, s)));
                }
            } else if (Catalogue.witness(name).isPresent()) {
                kind = PropertyReport.Kind.WITNESS;
                sentence = Catalogue.witness(name).get().sentence();
                citation = "";
            } else {
                kind = PropertyReport.Kind.OUTCOME;
                sentence = "a final state (every program finished) where " + spec.outcome().orElseThrow().text();
                citation = String.join("; ", spec.cites());
                if (r.path().isPresent()) {
                    detail = "final state reached where " + spec.outcome().get().text();
                } else if (!finalStateSeen.get() && !incomplete) {
                    verdict = Verdict.VACUOUS;
                    detail = "every interleaving blocks before the programs end (a step waits for a process or reference "
                            + "that never exists), so no final state was reached";
                }
            }
            reports.add(new PropertyReport(name, kind, sentence, citation, verdict, trace, detail, minimal, culprits));
        }
        List<String> choices = new ArrayList<>();
        Map<String, String> decisions = new LinkedHashMap<>();
        for (DecisionPoint<?> p : DecisionPoint.ALL) {
            dev.mmcheck.model.plugin.RulePlugin plugin = profile.plugins().get(p.name());
            if (plugin != null) {
                choices.add(p.name() + " = plugin:" + plugin.name() + ": " + plugin.citation());
                decisions.put(p.name(), "plugin:" + plugin.name());
                continue;
            }
            Decision d = profile.get(p);
            choices.add(p.name() + " = " + d.specName() + ": " + d.citation());
            decisions.put(p.name(), d.specName());
        }
        return new CheckReport(spec.file(), spec.name(), spec.title(), spec.cites(), profile.name(), profile.release(), choices,
                decisions, arch, bounds(spec) + symmetry(spec, scenario) + partialOrder(spec, scenario), st.distinctStates(), st.transitions(), st.maxDepthReached(),
                st.statesCutByDepthBound(), st.stop(), st.exhaustive(), st.elapsed(), reports, spec.text(), spec.labels(), st,
                engine == null ? "local" : engine.describe());
    }

    /** What --por did, for the bounds line: nothing when it was not asked for. */
    private String partialOrder(Spec spec, Scenario<?, ?> scenario) {
        if (!settings.partialOrder()) return "";
        if (scenario instanceof Exploration e && e.partialOrder()) {
            return ", sleep-set partial-order reduction";
        }
        return spec.isExploration() ? ", no partial-order reduction (no operation of the alphabet can sleep)"
                : ", no partial-order reduction (each process runs its own program)";
    }

    /** What --symmetry did, for the bounds line: nothing when it was not asked for. */
    private String symmetry(Spec spec, Scenario<?, ?> scenario) {
        if (!settings.symmetry()) return "";
        if (!spec.isExploration()) return ", no symmetry reduction (each process runs its own program)";
        var refusal = Exploration.symmetryRefusal(spec.alphabet());
        boolean pages = scenario instanceof Exploration e && e.pageSymmetric();
        if (spec.processes() == 1) return pages ? ", states counted up to a renaming of pages" : "";
        if (refusal.isPresent()) return ", no symmetry reduction (" + refusal.get() + ")";
        return pages ? ", states counted up to a renaming of processes and pages" : ", states counted up to a renaming of processes";
    }

    private static String bounds(Spec spec) {
        return spec.processes() + (spec.processes() == 1 ? " process, " : " processes, ") + spec.pages()
                + (spec.pages() == 1 ? " page, " : " pages, ") + "depth " + spec.depth()
                + (spec.isExploration() ? "" : " (every program step)") + splitSteps(spec);
    }

    /**
     * What the spec splits into kernel steps ({@code procmem-write ... steps}, {@code pin ... fast steps},
     * {@code fork P<n> steps}), for the bounds line: nothing when every operation is atomic.
     */
    private static String splitSteps(Spec spec) {
        java.util.Set<String> split = new java.util.TreeSet<>();
        for (List<dev.mmcheck.model.scenario.ProgramStep> program : spec.programs()) {
            for (dev.mmcheck.model.scenario.ProgramStep step : program) {
                if (!(step instanceof dev.mmcheck.model.scenario.ProgramStep.Fixed f)) continue;
                switch (f.op()) {
                    case Op.ProcMemWrite w when w.steps() -> split.add("GUP's retries");
                    case Op.Gup g when g.has(dev.mmcheck.model.state.GupFlag.STEPS) -> split.add("GUP-fast's walk");
                    case Op.Fork k when k.steps() -> split.add("fork's check and write-protect");
                    case Op.Collapse c when c.steps() -> split.add("collapse's isolation and copy");
                    case Op.Reclaim r when r.steps() -> split.add("try_to_unmap_one's clear and pinned check");
                    case Op.KsmMerge m when m.steps() -> split.add("write_protect_page's clear and checks");
                    case Op.MigrateStart m when m.steps() -> split.add("try_to_migrate_one's clear and pinned check");
                    case Op.Write w when w.steps() -> split.add("the THP reuse check");
                    case Op.Mprotect m when m.steps() -> split.add("the PMD split");
                    default -> {
                    }
                }
            }
        }
        for (dev.mmcheck.model.scenario.OpTemplate t : spec.alphabet()) {
            switch (t.kind()) {
                case PROC_MEM_WRITE -> {
                    if (t.gupFlags() != 0) split.add("GUP's retries");
                }
                case GUP -> {
                    if ((t.gupFlags() & dev.mmcheck.model.state.GupFlag.STEPS.bit()) != 0) split.add("GUP-fast's walk");
                }
                case FORK -> {
                    if (t.gupFlags() != 0) split.add("fork's check and write-protect");
                }
                case COLLAPSE -> {
                    if (t.gupFlags() != 0) split.add("collapse's isolation and copy");
                }
                case RECLAIM -> {
                    if (t.gupFlags() != 0) split.add("try_to_unmap_one's clear and pinned check");
                }
                default -> {
                }
            }
        }
        return split.isEmpty() ? "" : "; " + String.join(", ", split) + " as steps";
    }

    private static Verdict verdict(PropertyResult.Status s, boolean incomplete) {
        return switch (s) {
            case HOLDS_WITHIN_BOUNDS -> incomplete ? Verdict.NO_VIOLATION_IN_EXPLORED_PART : Verdict.NO_VIOLATION_WITHIN_BOUNDS;
            case VIOLATED -> Verdict.VIOLATED;
            case REACHED -> Verdict.REACHED;
            case NOT_REACHED_WITHIN_BOUNDS -> incomplete ? Verdict.NOT_REACHED_IN_EXPLORED_PART : Verdict.NOT_REACHED_WITHIN_BOUNDS;
        };
    }

    /** Re-runs each step of a path to recover its kernel path and what it changed. */
    public static <S, A> Trace trace(Scenario<S, A> scenario, Profile profile, Path<S, A> path, IntFunction<String> labelName) {
        List<Trace.TraceStep> steps = new ArrayList<>();
        List<StateView> views = new ArrayList<>();
        views.add(StateView.of(scenario.mm(path.states().get(0)), labelName));
        for (int i = 0; i < path.actions().size(); i++) {
            S before = path.states().get(i);
            A action = path.actions().get(i);
            Step step = scenario.step(before, action);
            S after = path.states().get(i + 1);
            steps.add(new Trace.TraceStep(scenario.operation(before, action).pid().index(), scenario.describe(before, action), inRelease(step.path(), profile),
                    StateDiff.changes(scenario.mm(before), scenario.mm(after), labelName)));
            views.add(StateView.of(scenario.mm(after), labelName));
        }
        return new Trace(path.initialIndex(), path.actionIndices(), steps, views);
    }
}
