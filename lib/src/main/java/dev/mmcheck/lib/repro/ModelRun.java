package dev.mmcheck.lib.repro;

import dev.mmcheck.lib.run.Runner;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.scenario.Exploration;
import dev.mmcheck.model.scenario.Programs;
import dev.mmcheck.model.scenario.Scenario;
import dev.mmcheck.model.state.MmState;
import java.util.ArrayList;
import java.util.List;

/**
 * A counterexample run through the model once more, keeping what a report does not: each step's operation (the
 * {@link Op} the program must issue) with the state before it and the model's result, setup steps first.
 */
final class ModelRun {
    /**
     * One operation as the model ran it.
     *
     * @param label  "setup" for a setup step, else the step's number in the trace ("1", "2", ...)
     * @param before the state the operation ran in; {@code step.after()} is the state after it
     */
    record Event(String label, Op op, MmState before, Step step) {
        MmState after() {
            return step.after();
        }

        boolean done() {
            return step.outcome() == Step.Outcome.DONE;
        }
    }

    private ModelRun() {
    }

    /**
     * The setup's operations and the trace's, found by their recorded calls (the recorded index is only where to
     * look first, as replay does). A trace that no longer runs under this profile is an IllegalArgumentException:
     * callers replay the counterexample before they ask for a program.
     */
    static List<Event> events(Spec spec, Profile profile, int initialIndex, List<Integer> actionIndices, List<String> calls)
            throws SpecException {
        List<Event> events = new ArrayList<>();
        MmState s = MmState.initial(spec.processes(), spec.pages());
        for (Spec.SetupStep step : spec.setup()) {
            Op op = step.step().resolve(s).orElseThrow();
            Step result = Rules.apply(s, profile, op);
            events.add(new Event("setup", op, s, result));
            s = result.after();
        }
        MmState init = Runner.initialState(spec, profile);
        if (spec.isExploration()) {
            trace(new Exploration(profile, init, spec.alphabet()), initialIndex, actionIndices, calls, events);
        } else {
            trace(new Programs(profile, init, spec.programs()), initialIndex, actionIndices, calls, events);
        }
        return events;
    }

    private static <S, A> void trace(Scenario<S, A> scenario, int initialIndex, List<Integer> actionIndices, List<String> calls,
                                     List<Event> events) {
        S state = scenario.initialStates().get(initialIndex);
        for (int i = 0; i < actionIndices.size(); i++) {
            List<A> enabled = new ArrayList<>();
            scenario.enabled(state, enabled);
            int idx = actionIndices.get(i);
            String call = calls.get(i);
            A action = null;
            if (idx >= 0 && idx < enabled.size() && scenario.describe(state, enabled.get(idx)).equals(call)) {
                action = enabled.get(idx);
            } else {
                for (A a : enabled) {
                    if (scenario.describe(state, a).equals(call)) {
                        action = a;
                        break;
                    }
                }
            }
            if (action == null) throw new IllegalArgumentException("step " + (i + 1) + " ('" + call + "') does not replay");
            S next = scenario.next(state, action);
            if (next == null) throw new IllegalArgumentException("step " + (i + 1) + " ('" + call + "') changes nothing");
            events.add(new Event(String.valueOf(i + 1), scenario.operation(state, action), scenario.mm(state),
                    scenario.step(state, action)));
            state = next;
        }
    }
}
