package dev.mmcheck.model.scenario;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import java.util.Optional;

/**
 * One step of a process's program. Most steps are a fixed operation; steps on a named GUP reference
 * ("unpin buf") find the reference in the current state.
 */
public sealed interface ProgramStep {
    /** The operation this step runs in state s, or empty if its reference does not exist (the step blocks). */
    Optional<Op> resolve(MmState s);

    /** The step as written in the spec. */
    String text();

    /** The process whose operation this is. */
    Pid pid();

    record Fixed(Op op, String text) implements ProgramStep {
        public Optional<Op> resolve(MmState s) {
            return Optional.of(op);
        }

        public Pid pid() {
            return op.pid();
        }
    }

    /** unpin / put (release = true) or a device write through the owner's reference with this label. */
    record OnReference(Pid owner, int label, String labelName, boolean release, int value, String text)
            implements ProgramStep {
        public Pid pid() {
            return owner;
        }

        public Optional<Op> resolve(MmState s) {
            for (GupRef r : s.refs()) {
                if (r.owner().equals(owner) && r.label() == label) {
                    return Optional.of(release ? new Op.Release(r, labelName) : new Op.RefWrite(r, labelName, value));
                }
            }
            return Optional.empty();
        }
    }
}
