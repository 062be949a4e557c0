package dev.mmcheck.model.scenario;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.state.MmState;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Every interleaving of an operation alphabet from an initial state. An operation that fails or changes
 * nothing is not a transition (so a state's successors are exactly the distinct changes it can undergo).
 */
public final class Exploration implements Scenario<MmState, Op> {
    private final Profile profile;
    private final MmState initial;
    private final List<OpTemplate> alphabet;

    public Exploration(Profile profile, MmState initial, List<OpTemplate> alphabet) {
        this.profile = profile;
        this.initial = initial;
        this.alphabet = List.copyOf(alphabet);
    }

    @Override
    public List<MmState> initialStates() {
        return List.of(initial);
    }

    @Override
    public void enabled(MmState state, List<Op> out) {
        for (OpTemplate t : alphabet) {
            t.instantiate(state, out);
        }
    }

    @Override
    public MmState next(MmState state, Op op) {
        Step step = Rules.apply(state, profile, op, false);
        boolean moved = step.outcome() == Step.Outcome.DONE || step.outcome() == Step.Outcome.TRAPPED;
        if (!moved || step.after().equals(state)) return null;
        return step.after();
    }

    @Override
    public Step step(MmState state, Op op) {
        return Rules.apply(state, profile, op);
    }

    @Override
    public MmState mm(MmState state) {
        return state;
    }

    @Override
    public void encode(MmState state, IntConsumer out) {
        state.encode(out);
    }

    @Override
    public Op operation(MmState state, Op op) {
        return op;
    }

    @Override
    public String describe(MmState state, Op op) {
        return op.call();
    }
}
