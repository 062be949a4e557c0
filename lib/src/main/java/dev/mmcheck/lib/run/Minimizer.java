package dev.mmcheck.lib.run;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Shrinks a violating operation sequence (the spec's setup followed by the counterexample) by delta
 * debugging: drop one operation, or weaken one GUP flag (fast, FOLL_LONGTERM, FOLL_WRITE), re-execute from the empty machine, keep the candidate if every operation still completes
 * and the violation still occurs; repeat until no single change keeps it. The result is 1-minimal.
 * Operations on a GUP reference find it again by owner, address and label (its folio and, once weakened,
 * its flags may differ).
 */
public final class Minimizer {
    private Minimizer() {
    }

    /**
     * @param ops       the minimal operations as they run
     * @param processes how many processes they involve, pages how many virtual pages they touch
     */
    public record Minimized(int originalSize, List<Op> ops, List<String> calls, int processes, int pages) {
    }

    /**
     * Shrinks {@code ops}, a sequence that breaks an invariant ({@code violated}) first after its last
     * operation. Outcome clauses of litmus programs are not shrunk this way: their condition means
     * something only with the programs run to their end. A sequence that does not violate is returned as it is.
     */
    public static Minimized minimize(MmState empty, Profile profile, List<Op> ops, Predicate<MmState> violated) {
        if (run(empty, profile, ops, violated).isEmpty()) {
            return summarize(ops.size(), ops, ops.stream().map(Op::call).toList());
        }
        List<Op> current = new ArrayList<>(ops);
        boolean shrunk = true;
        while (shrunk) {
            shrunk = false;
            for (int i = current.size() - 1; i >= 0 && !shrunk; i--) {
                List<Op> candidate = new ArrayList<>(current);
                candidate.remove(i);
                if (run(empty, profile, candidate, violated).isPresent()) {
                    current = candidate;
                    shrunk = true;
                }
            }
            for (int i = 0; i < current.size() && !shrunk; i++) {
                for (Op weaker : weaken(current.get(i))) {
                    List<Op> candidate = new ArrayList<>(current);
                    candidate.set(i, weaker);
                    if (run(empty, profile, candidate, violated).isPresent()) {
                        current = candidate;
                        shrunk = true;
                        break;
                    }
                }
            }
        }
        return summarize(ops.size(), current, run(empty, profile, current, violated).orElseThrow());
    }

    private static Minimized summarize(int originalSize, List<Op> finalOps, List<String> calls) {
        java.util.Set<Integer> procs = new java.util.TreeSet<>();
        java.util.Set<Integer> pages = new java.util.TreeSet<>();
        for (Op op : finalOps) {
            procs.add(op.pid().index());
            switch (op) {
                case Op.Fork f -> procs.add(f.child().index());
                case Op.KsmMerge k -> {
                    procs.add(k.other().index());
                    pages.add(k.addr().index());
                    pages.add(k.otherAddr().index());
                }
                case Op.Read r -> pages.add(r.addr().index());
                case Op.Write w -> pages.add(w.addr().index());
                case Op.Gup g -> pages.add(g.addr().index());
                case Op.Mmap m -> pages.add(m.addr().index());
                case Op.Munmap m -> pages.add(m.addr().index());
                case Op.Mprotect m -> pages.add(m.addr().index());
                case Op.Madvise m -> pages.add(m.addr().index());
                case Op.Reclaim r -> pages.add(r.addr().index());
                default -> {
                }
            }
        }
        return new Minimized(originalSize, finalOps, calls, procs.size(), pages.size());
    }

    /** Runs the ops; the calls made if every one completes and the violation first occurs after the last, else empty. */
    static Optional<List<String>> run(MmState empty, Profile profile, List<Op> ops, Predicate<MmState> violated) {
        MmState s = empty;
        List<String> calls = new ArrayList<>();
        for (Op op : ops) {
            Optional<Op> resolved = resolve(s, op);
            if (resolved.isEmpty()) return Optional.empty();
            Step step = Rules.apply(s, profile, resolved.get());
            if (step.outcome() != Step.Outcome.DONE && step.outcome() != Step.Outcome.TRAPPED
                    && step.outcome() != Step.Outcome.IN_PROGRESS) return Optional.empty();
            s = step.after();
            calls.add(resolved.get().call());
            if (violated.test(s)) return calls.size() == ops.size() ? Optional.of(calls) : Optional.empty();
        }
        return Optional.empty();
    }

    /** An operation on a reference is re-aimed at the reference with the same owner, address, flags and label. */
    private static Optional<Op> resolve(MmState s, Op op) {
        GupRef wanted = switch (op) {
            case Op.Release r -> r.ref();
            case Op.RefWrite w -> w.ref();
            default -> null;
        };
        if (wanted == null) return Optional.of(op);
        GupRef found = null;
        for (GupRef r : s.refs()) {
            if (!r.owner().equals(wanted.owner()) || !r.addr().equals(wanted.addr()) || r.label() != wanted.label()) continue;
            if (found == null || r.flags() == wanted.flags()) found = r;  // prefer the same flags; else the one left after weakening
        }
        if (found == null) return Optional.empty();
        return Optional.of(op instanceof Op.Release rel ? new Op.Release(found, rel.labelName())
                : new Op.RefWrite(found, ((Op.RefWrite) op).labelName(), ((Op.RefWrite) op).value()));
    }

    /**
     * Weaker variants of a GUP call: one flag fewer. FOLL_PIN is never weakened to FOLL_GET: that leaves the
     * API whose promises the invariants state (a FOLL_GET writer leaks across fork on every era, see
     * specs/gup/foll-get-write-fork.mmc), so it would trade the bug for a different, known one.
     */
    private static List<Op> weaken(Op op) {
        if (!(op instanceof Op.Gup g)) return List.of();
        List<Op> out = new ArrayList<>();
        for (GupFlag f : List.of(GupFlag.FAST, GupFlag.LONGTERM, GupFlag.WRITE)) {
            if (g.has(f)) out.add(new Op.Gup(g.pid(), g.addr(), g.flags() & ~f.bit(), g.label(), g.labelName()));
        }
        return out;
    }
}
