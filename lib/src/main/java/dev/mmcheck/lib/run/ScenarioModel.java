package dev.mmcheck.lib.run;

import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.StateEncoder;
import dev.mmcheck.model.scenario.Scenario;
import java.util.List;

/** Presents a model {@link Scenario} to the generic checker: the only place the two meet. */
final class ScenarioModel<S, A> implements Model<S, A> {
    private final Scenario<S, A> scenario;

    ScenarioModel(Scenario<S, A> scenario) {
        this.scenario = scenario;
    }

    @Override
    public List<S> initialStates() {
        return scenario.initialStates();
    }

    @Override
    public void actions(S state, List<A> out) {
        scenario.enabled(state, out);
    }

    @Override
    public boolean anyAction(S state, List<A> scratch) {
        return scenario.anyEnabled(state, scratch);
    }

    @Override
    public S next(S state, A action) {
        return scenario.next(state, action);
    }

    @Override
    public int sleepIds() {
        return scenario.sleepIds();
    }

    @Override
    public int sleepId(S state, A action) {
        return scenario.sleepId(state, action);
    }

    @Override
    public long footprint(S state, A action) {
        return scenario.footprint(state, action);
    }

    @Override
    public void sleepInfo(S state, List<A> actions, int[] ids, long[] footprints) {
        scenario.sleepInfo(state, actions, ids, footprints);
    }

    @Override
    public void encode(S state, StateEncoder out) {
        scenario.encode(state, out::putInt, out.detail());
    }

    @Override
    public boolean canDecode() {
        return scenario.canDecode();
    }

    @Override
    public S decode(int[] words, int from, int length) {
        return scenario.decode(words, from, from + length);
    }
}
