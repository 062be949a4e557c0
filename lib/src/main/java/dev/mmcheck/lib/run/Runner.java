package dev.mmcheck.lib.run;

import dev.mmcheck.checker.CheckResult;
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
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Decision;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Profile;
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
import java.util.function.IntFunction;
import java.util.function.Predicate;

/** Runs one spec under one profile: builds the scenario and properties, runs the checker, reports. */
public final class Runner {
    private final int threads;

    public Runner(int threads) {
        this.threads = threads;
    }

    /** The spec's profile, or {@code override}, with the spec's variants applied. */
    public static Profile profileFor(Spec spec, Profile base) {
        Profile p = base;
        for (Spec.Variant v : spec.variants()) {
            p = p.with(v.point(), v.choice());
        }
        return p;
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
            if (op.isEmpty()) throw new SpecException(spec.file(), step.line(), 1, "setup step names no existing reference");
            Step r = Rules.apply(s, profile, op.get());
            if (r.outcome() != Step.Outcome.DONE) {
                throw new SpecException(spec.file(), step.line(), 1, "setup step '" + step.step().text() + "' cannot run: "
                        + (r.outcome() == Step.Outcome.NOT_RUNNABLE ? step.pid() + " does not exist" : String.join(" -> ", r.path())));
            }
            s = r.after();
        }
        return s;
    }

    public CheckReport check(Spec spec, Profile base) throws SpecException {
        Profile profile = profileFor(spec, base);
        MmState init = initialState(spec, profile);
        if (spec.isExploration()) {
            return check(spec, profile, new Exploration(profile, init, spec.alphabet()), s -> true);
        }
        Programs programs = new Programs(profile, init, spec.programs());
        return check(spec, profile, programs, programs::finished);
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
            return replay(spec, new Exploration(profile, init, spec.alphabet()), s -> true, initialIndex, actionIndices,
                    recordedCalls, property);
        }
        Programs programs = new Programs(profile, init, spec.programs());
        return replay(spec, programs, programs::finished, initialIndex, actionIndices, recordedCalls, property);
    }

    private static <S, A> Replayed replay(Spec spec, Scenario<S, A> scenario, Predicate<S> finished, int initialIndex,
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
            if (idx < 0 || idx >= enabled.size()) {
                return diverged(new Trace(initialIndex, done, steps, views), i + 1, "recorded '" + recorded + "', but only " + enabled.size()
                        + " operations are enabled now");
            }
            A action = enabled.get(idx);
            String now = scenario.describe(state, action);
            S next = scenario.next(state, action);
            if (!now.equals(recorded) || next == null) {
                return diverged(new Trace(initialIndex, done, steps, views), i + 1, "recorded '" + recorded + "', now '" + now + "'"
                        + (next == null ? " changes nothing" : ""));
            }
            Step step = scenario.step(state, action);
            steps.add(new Trace.TraceStep(processOf(action), now, step.path(),
                    StateDiff.changes(scenario.mm(state), scenario.mm(next), labelName)));
            done.add(idx);
            views.add(StateView.of(scenario.mm(next), labelName));
            state = next;
        }
        Trace trace = new Trace(initialIndex, done, steps, views);
        MmState last = scenario.mm(state);
        Optional<Invariant> inv = Catalogue.invariant(property);
        if (inv.isPresent()) {
            Optional<String> v = inv.get().violation().apply(last);
            return new Replayed(trace, 0, "", v.isPresent(), v.orElse(""));
        }
        Spec.Outcome o = spec.outcome().filter(x -> x.describe().equals(property))
                .orElseThrow(() -> new IllegalArgumentException("the spec has no property '" + property + "'"));
        boolean met = finished.test(state) && o.condition().test(last);
        boolean violated = o.exists() != met;
        return new Replayed(trace, 0, "", violated, violated ? "final state reached where " + o.text() : "");
    }

    private static Replayed diverged(Trace trace, int at, String why) {
        return new Replayed(trace, at, why, false, "");
    }

    private static int processOf(Object action) {
        return action instanceof Integer proc ? proc : ((Op) action).pid().index();
    }

    private <S, A> CheckReport check(Spec spec, Profile profile, Scenario<S, A> scenario, Predicate<S> finished) {
        List<Property<S>> props = new ArrayList<>();
        Map<String, PropertyReport> notApplicable = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        Map<String, Invariant> invariants = new LinkedHashMap<>();
        spec.outcome().ifPresent(o -> {
            Predicate<S> met = s -> finished.test(s) && o.condition().test(scenario.mm(s));
            props.add(o.exists() ? Property.sometimes(o.describe(), met) : Property.always(o.describe(), met.negate()));
            order.add(o.describe());
        });
        for (String name : spec.checks()) {
            Invariant inv = Catalogue.invariant(name).orElseThrow();
            order.add(name);
            if (!inv.appliesTo().test(profile)) {
                notApplicable.put(name, new PropertyReport(name, PropertyReport.Kind.INVARIANT, inv.sentence(), inv.citation(),
                        Verdict.NOT_APPLICABLE, Optional.empty(), "PG_anon_exclusive does not exist in " + profile.release(),
                        Optional.empty()));
                continue;
            }
            invariants.put(name, inv);
            props.add(Property.always(name, s -> inv.holds(scenario.mm(s))));
        }
        for (String name : spec.witnesses()) {
            Reachability w = Catalogue.witness(name).orElseThrow();
            order.add(name);
            props.add(Property.sometimes(name, s -> w.reached().test(scenario.mm(s))));
        }
        CheckResult<S, A> result = Checker.of(new ScenarioModel<>(scenario)).properties(props).maxDepth(spec.depth())
                .maxStates((int) Math.min(spec.maxStates(), Checker.MAX_STATES)).threads(threads).check();
        IntFunction<String> labelName = l -> spec.labels().get(l - 1);
        List<PropertyReport> reports = new ArrayList<>();
        for (String name : order) {
            if (notApplicable.containsKey(name)) {
                reports.add(notApplicable.get(name));
                continue;
            }
            PropertyResult<S, A> r = result.result(name);
            Optional<Trace> trace = r.path().map(p -> trace(scenario, p, labelName));
            String detail = "";
            Optional<Minimizer.Minimized> minimal = Optional.empty();
            PropertyReport.Kind kind;
            String sentence;
            String citation;
            if (invariants.containsKey(name)) {
                Invariant inv = invariants.get(name);
                kind = PropertyReport.Kind.INVARIANT;
                sentence = inv.sentence();
                citation = inv.citation();
                if (r.path().isPresent()) {
                    detail = inv.violation().apply(scenario.mm(r.path().get().lastState())).orElse("");
                    if (r.status() == PropertyResult.Status.VIOLATED) {
                        minimal = Optional.of(Minimizer.minimize(MmState.initial(spec.processes(), spec.pages()), profile,
                                operations(spec, profile, scenario, r.path().get()), s -> !inv.holds(s)));
                    }
                }
            } else if (Catalogue.witness(name).isPresent()) {
                kind = PropertyReport.Kind.WITNESS;
                sentence = Catalogue.witness(name).get().sentence();
                citation = "";
            } else {
                kind = PropertyReport.Kind.OUTCOME;
                sentence = "a final state (every program finished) where " + spec.outcome().orElseThrow().text();
                citation = String.join("; ", spec.cites());
                if (r.path().isPresent()) detail = "final state reached where " + spec.outcome().get().text();
            }
            reports.add(new PropertyReport(name, kind, sentence, citation, verdict(r.status()), trace, detail, minimal));
        }
        Statistics st = result.statistics();
        List<String> choices = new ArrayList<>();
        for (DecisionPoint<?> p : DecisionPoint.ALL) {
            Decision d = profile.get(p);
            choices.add(p.name() + " = " + d.specName() + ": " + d.citation());
        }
        return new CheckReport(spec.file(), spec.name(), spec.title(), spec.cites(), profile.name(), choices,
                bounds(spec), st.distinctStates(), st.transitions(), st.maxDepthReached(), st.statesCutByDepthBound(),
                st.stateBoundHit(), st.exhaustive(), st.elapsed(), reports);
    }

    private static String bounds(Spec spec) {
        return spec.processes() + (spec.processes() == 1 ? " process, " : " processes, ") + spec.pages()
                + (spec.pages() == 1 ? " page, " : " pages, ") + "depth " + spec.depth()
                + (spec.isExploration() ? "" : " (every program step)");
    }

    private static Verdict verdict(PropertyResult.Status s) {
        return switch (s) {
            case HOLDS_WITHIN_BOUNDS -> Verdict.NO_VIOLATION_WITHIN_BOUNDS;
            case VIOLATED -> Verdict.VIOLATED;
            case REACHED -> Verdict.REACHED;
            case NOT_REACHED_WITHIN_BOUNDS -> Verdict.NOT_REACHED_WITHIN_BOUNDS;
        };
    }

    /** Re-runs each step of a path to recover its kernel path and what it changed. */
    public static <S, A> Trace trace(Scenario<S, A> scenario, Path<S, A> path, IntFunction<String> labelName) {
        List<Trace.TraceStep> steps = new ArrayList<>();
        List<StateView> views = new ArrayList<>();
        views.add(StateView.of(scenario.mm(path.states().get(0)), labelName));
        for (int i = 0; i < path.actions().size(); i++) {
            S before = path.states().get(i);
            A action = path.actions().get(i);
            Step step = scenario.step(before, action);
            S after = path.states().get(i + 1);
            steps.add(new Trace.TraceStep(processOf(action), scenario.describe(before, action), step.path(),
                    StateDiff.changes(scenario.mm(before), scenario.mm(after), labelName)));
            views.add(StateView.of(scenario.mm(after), labelName));
        }
        return new Trace(path.initialIndex(), path.actionIndices(), steps, views);
    }
}
