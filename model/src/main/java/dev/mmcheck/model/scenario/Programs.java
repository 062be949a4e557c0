package dev.mmcheck.model.scenario;

import com.google.common.collect.ImmutableList;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.state.MmState;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Litmus-style programs: one list of steps per process, interleaved in every order. A process whose
 * next step cannot run yet (it has not been forked, its reference does not exist) waits. A step whose
 * call fails (-EFAULT, SIGSEGV) completes with no effect, as the syscall would return. Actions are
 * process indices.
 */
public final class Programs implements Scenario<Programs.State, Integer> {
    /** The MM state and each process's program counter. */
    public record State(MmState mm, ImmutableList<Integer> pcs) {
    }

    private final Profile profile;
    private final MmState initial;
    private final List<List<ProgramStep>> programs;
    /** Per program, the name of its thread when it is a second (third...) program of its process ("P0.1"), else null. */
    private final List<String> threads;

    public Programs(Profile profile, MmState initial, List<List<ProgramStep>> programs) {
        this.profile = profile;
        this.initial = initial;
        this.programs = programs.stream().map(List::copyOf).toList();
        java.util.Map<Pid, Integer> seen = new java.util.HashMap<>();
        List<String> names = new java.util.ArrayList<>();
        for (List<ProgramStep> p : this.programs) {
            if (p.isEmpty()) {
                names.add(null);
                continue;
            }
            int n = seen.merge(p.get(0).pid(), 1, Integer::sum) - 1;
            names.add(n == 0 ? null : p.get(0).pid() + "." + n);
        }
        this.threads = java.util.Collections.unmodifiableList(names);
    }

    public List<List<ProgramStep>> programs() {
        return programs;
    }

    @Override
    public List<State> initialStates() {
        return List.of(new State(initial, ImmutableList.copyOf(java.util.Collections.nCopies(programs.size(), 0))));
    }

    /** Every program has run to its end. */
    public boolean finished(State s) {
        for (int i = 0; i < programs.size(); i++) {
            if (s.pcs().get(i) < programs.get(i).size()) return false;
        }
        return true;
    }

    @Override
    public void enabled(State s, List<Integer> out) {
        for (int i = 0; i < programs.size(); i++) {
            if (runnable(s, i).isPresent()) out.add(i);
        }
    }

    private Optional<Op> runnable(State s, int proc) {
        int pc = s.pcs().get(proc);
        if (pc >= programs.get(proc).size()) return Optional.empty();
        Optional<Op> op = programs.get(proc).get(pc).resolve(s.mm());
        if (op.isEmpty()) return op;
        Step step = Rules.apply(s.mm(), profile, op.get(), false);
        return step.outcome() == Step.Outcome.NOT_RUNNABLE ? Optional.empty() : op;
    }

    @Override
    public State next(State s, Integer proc) {
        Optional<Op> op = runnable(s, proc);
        if (op.isEmpty()) return null;
        Step step = Rules.apply(s.mm(), profile, op.get(), false);
        ImmutableList.Builder<Integer> pcs = ImmutableList.builder();
        boolean advance = step.outcome() != Step.Outcome.TRAPPED && step.outcome() != Step.Outcome.IN_PROGRESS;
        for (int i = 0; i < programs.size(); i++) {
            pcs.add(s.pcs().get(i) + (i == proc && advance ? 1 : 0));
        }
        return new State(step.after(), pcs.build());
    }

    @Override
    public Step step(State s, Integer proc) {
        return Rules.apply(s.mm(), profile, runnable(s, proc).orElseThrow());
    }

    @Override
    public MmState mm(State s) {
        return s.mm();
    }

    @Override
    public void encode(State s, IntConsumer out) {
        encode(s, out, null);
    }

    @Override
    public void encode(State s, IntConsumer out, IntConsumer detail) {
        for (int pc : s.pcs()) {
            out.accept(pc);
        }
        s.mm().encode(out, detail);
    }

    @Override
    public boolean canDecode() {
        return true;
    }

    @Override
    public State decode(int[] words, int from, int to) {
        Integer[] pcs = new Integer[programs.size()];
        for (int i = 0; i < pcs.length; i++) pcs[i] = words[from + i];
        return new State(MmState.decode(words, from + pcs.length, to), ImmutableList.copyOf(pcs));
    }

    @Override
    public Op operation(State s, Integer proc) {
        return runnable(s, proc).orElseThrow();
    }

    /**
     * The operation as the trace shows it: a second thread's operations carry its name ("P0.1 pin_user_pages_fast(A)"),
     * so that the race diagram gives it a column of its own.
     */
    @Override
    public String describe(State s, Integer proc) {
        String call = runnable(s, proc).map(Op::call).orElse(programs.get(proc).get(s.pcs().get(proc)).text());
        String thread = threads.get(proc);
        String pid = programs.get(proc).get(0).pid().toString();
        return thread != null && call.startsWith(pid + " ") ? thread + call.substring(pid.length()) : call;
    }
}
