package dev.mmcheck.model.rules;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.VmaKind;
import java.util.List;

/**
 * What one operation does to the shared zeropage's refcount under a profile, measured by running the model's own rules
 * (not restated from the decisions), so that the arch layer's overflow questions ask about the rule the model checks.
 */
public final class ZeropageRefs {
    private ZeropageRefs() {
    }

    private static final Pid P0 = new Pid(0);
    private static final Vaddr A = new Vaddr(0);

    /** The zeropage refcount delta of a R/O FOLL_PIN on an anonymous page that maps the zeropage (a read fault). */
    public static int perPin(Profile profile) {
        MmState s = run(profile, List.of(new Op.Mmap(P0, A, VmaKind.ANON_PRIVATE, true), new Op.Read(P0, A)));
        return delta(profile, s, new Op.Gup(P0, A, GupFlag.PIN.bit(), 0, ""));
    }

    /** The delta of one vm_insert_page() of the zeropage into a read-only driver mapping (the driver's mmap). */
    public static int perInsert(Profile profile) {
        return delta(profile, MmState.initial(1, 1), new Op.Mmap(P0, A, VmaKind.MIXEDMAP_ZERO_SHARED, false));
    }

    /**
     * The net delta of one DAX hole read fault and the munmap that zaps it, in an ext4/XFS DAX file (no VM_MIXEDMAP
     * from v4.19): 0 where map and unmap balance, positive where each cycle leaks (seed 000).
     */
    public static int perDaxHoleCycle(Profile profile) {
        MmState s = run(profile, List.of(new Op.Mmap(P0, A, VmaKind.DAX_SHARED, false)));
        MmState after = run(profile, s, List.of(new Op.Read(P0, A), new Op.Munmap(P0, A)));
        return after.zeropage().refcount() - s.zeropage().refcount();
    }

    private static int delta(Profile profile, MmState s, Op op) {
        return run(profile, s, List.of(op)).zeropage().refcount() - s.zeropage().refcount();
    }

    private static MmState run(Profile profile, List<Op> ops) {
        return run(profile, MmState.initial(1, 1), ops);
    }

    private static MmState run(Profile profile, MmState s, List<Op> ops) {
        for (Op op : ops) {
            Step step = Rules.apply(s, profile, op);
            if (step.outcome() != Step.Outcome.DONE) {
                throw new IllegalStateException(op.call() + " did not complete under " + profile.name());
            }
            s = step.after();
        }
        return s;
    }
}
