package dev.mmcheck.model.invariant;

import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.SwapSlot;
import dev.mmcheck.model.state.Vaddr;
import java.util.List;

/**
 * Why a state breaks an invariant: the values in words, and the parts of the state they are about, so a report
 * can mark exactly those page-table entries, folios, swap slots and references.
 */
public record Violation(String detail, List<Culprit> culprits) {
    public Violation {
        culprits = List.copyOf(culprits);
    }

    public static Violation of(String detail, Culprit... culprits) {
        return new Violation(detail, List.of(culprits));
    }

    /** A part of the state an invariant's verdict rests on. */
    public sealed interface Culprit {
        /** The page-table entry (and VMA) of a process at an address. */
        record Pte(Pid pid, Vaddr addr) implements Culprit {
        }

        record Folio(FolioId folio) implements Culprit {
        }

        record Slot(SwapSlot slot) implements Culprit {
        }

        record Ref(GupRef ref) implements Culprit {
        }
    }
}
