package dev.mmcheck.model;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.scenario.Exploration;
import dev.mmcheck.model.scenario.OpTemplate;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.VmaKind;
import java.util.ArrayList;
import java.util.List;

/** Builds states for tests: a setup run through the rules, and random walks over the whole operation alphabet. */
final class Walks {
    private Walks() {
    }

    static final Pid P0 = new Pid(0);
    static final Pid P1 = new Pid(1);
    static final Vaddr A = new Vaddr(0);
    static final Vaddr B = new Vaddr(1);

    /**
     * Every operation kind, except FOLL_GET|FOLL_WRITE references: a device write through one after fork
     * leaks on every era, which the kernel does not promise to prevent (specs/gup/foll-get-write-fork.mmc).
     */
    static final List<OpTemplate> ALPHABET = List.of(OpTemplate.of(OpTemplate.Kind.READ), OpTemplate.of(OpTemplate.Kind.WRITE),
            new OpTemplate(OpTemplate.Kind.GUP, 0),
            new OpTemplate(OpTemplate.Kind.GUP, GupFlag.PIN.bit() | GupFlag.LONGTERM.bit()),
            new OpTemplate(OpTemplate.Kind.GUP, GupFlag.PIN.bit() | GupFlag.WRITE.bit() | GupFlag.LONGTERM.bit()),
            OpTemplate.of(OpTemplate.Kind.RELEASE), OpTemplate.of(OpTemplate.Kind.DEVICE_WRITE), OpTemplate.of(OpTemplate.Kind.FORK),
            OpTemplate.of(OpTemplate.Kind.EXIT), OpTemplate.of(OpTemplate.Kind.MUNMAP), OpTemplate.of(OpTemplate.Kind.MADV_DONTNEED),
            OpTemplate.of(OpTemplate.Kind.MADV_DONTFORK), OpTemplate.of(OpTemplate.Kind.MADV_DOFORK),
            OpTemplate.of(OpTemplate.Kind.MADV_PAGEOUT), OpTemplate.of(OpTemplate.Kind.MPROTECT_RO),
            OpTemplate.of(OpTemplate.Kind.MPROTECT_RW), OpTemplate.of(OpTemplate.Kind.CLEAR_SOFT_DIRTY),
            OpTemplate.of(OpTemplate.Kind.RECLAIM), OpTemplate.of(OpTemplate.Kind.KSM_MERGE),
            new OpTemplate(OpTemplate.Kind.GUP, GupFlag.FAST.bit()),
            new OpTemplate(OpTemplate.Kind.GUP, GupFlag.PIN.bit() | GupFlag.LONGTERM.bit() | GupFlag.FAST.bit()),
            new OpTemplate(OpTemplate.Kind.GUP, GupFlag.PIN.bit() | GupFlag.WRITE.bit() | GupFlag.FAST.bit()),
            OpTemplate.of(OpTemplate.Kind.KSM_ZERO), OpTemplate.of(OpTemplate.Kind.COLLAPSE),
            OpTemplate.of(OpTemplate.Kind.MIGRATE_START), OpTemplate.of(OpTemplate.Kind.MIGRATE_FINISH),
            OpTemplate.of(OpTemplate.Kind.MIGRATE_TO_DEVICE), OpTemplate.of(OpTemplate.Kind.MAKE_DEVICE_EXCLUSIVE),
            OpTemplate.of(OpTemplate.Kind.MEMORY_FAILURE), OpTemplate.of(OpTemplate.Kind.MREMAP));

    /** The VMA kind P0 maps at B in a walk: every kind the model has. */
    static final List<VmaKind> KINDS = java.util.Arrays.stream(VmaKind.values()).filter(k -> k != VmaKind.NONE).toList();

    /** Runs ops in order; each must complete. */
    static MmState run(Profile profile, MmState s, Op... ops) {
        for (Op op : ops) {
            Step step = Rules.apply(s, profile, op);
            if (step.outcome() != Step.Outcome.DONE) throw new AssertionError(op.call() + " did not complete: " + step.path());
            s = step.after();
        }
        return s;
    }

    /** Two processes' worth of slots; P0 maps A (anon, mergeable) and B (a private file mapping). */
    static MmState start(Profile profile) {
        return start(profile, VmaKind.FILE_PRIVATE);
    }

    /** Two processes' worth of slots; P0 maps A (anon, mergeable) and B (the given kind, writable if it can be). */
    static MmState start(Profile profile, VmaKind kindOfB) {
        if (kindOfB.huge()) {
            // a THP or hugetlb VMA covers the aligned pair A-B
            return run(profile, MmState.initial(2, 2), new Op.Mmap(P0, A, kindOfB, true));
        }
        MmState s = run(profile, MmState.initial(2, 2), new Op.Mmap(P0, A, VmaKind.ANON_PRIVATE, true),
                new Op.Madvise(P0, A, Op.Advice.MERGEABLE));
        Step rw = Rules.apply(s, profile, new Op.Mmap(P0, B, kindOfB, true));
        if (rw.outcome() == Step.Outcome.DONE) return rw.after();
        return run(profile, s, new Op.Mmap(P0, B, kindOfB, false));
    }

    static List<MmState> walk(Profile profile, List<Integer> choices) {
        return walk(profile, VmaKind.FILE_PRIVATE, choices);
    }

    /** The states of a walk that at each step takes the enabled operation chosen by {@code choices}. */
    static List<MmState> walk(Profile profile, VmaKind kindOfB, List<Integer> choices) {
        Exploration e = new Exploration(profile, start(profile, kindOfB), ALPHABET);
        List<MmState> states = new ArrayList<>();
        MmState s = e.initialStates().get(0);
        states.add(s);
        for (int c : choices) {
            List<Op> ops = new ArrayList<>();
            e.enabled(s, ops);
            List<MmState> next = new ArrayList<>();
            for (Op op : ops) {
                MmState n = e.next(s, op);
                if (n != null) next.add(n);
            }
            if (next.isEmpty()) break;
            s = next.get(c % next.size());
            states.add(s);
        }
        return states;
    }
}
