package dev.mmcheck.lib.spec;

import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Vaddr;
import java.util.List;

/**
 * The condition of an exists/forbidden clause, over what processes would read in a final state.
 * Conjunctions and disjunctions are n-ary, so a long chain of {@code /\} is a flat list, not a deep
 * tree; nesting (parentheses, {@code ~}) is bounded by the parser, so evaluation never recurses deeply.
 */
public sealed interface Condition {
    boolean test(MmState s);

    record And(List<Condition> terms) implements Condition {
        public And {
            terms = List.copyOf(terms);
        }

        public boolean test(MmState s) {
            for (Condition c : terms) {
                if (!c.test(s)) return false;
            }
            return true;
        }
    }

    record Or(List<Condition> terms) implements Condition {
        public Or {
            terms = List.copyOf(terms);
        }

        public boolean test(MmState s) {
            for (Condition c : terms) {
                if (c.test(s)) return true;
            }
            return false;
        }
    }

    record Not(Condition inner) implements Condition {
        public boolean test(MmState s) {
            return !inner.test(s);
        }
    }

    /** {@code P1:A == 0xff} (a load by P1 at A) or {@code P1:pipe == 0xff} (a read through P1's reference "pipe"). */
    record Compare(Pid pid, Vaddr page, int label, boolean equal, int value) implements Condition {
        public boolean test(MmState s) {
            Data d = page != null ? s.dataAt(pid, page) : referenced(s);
            boolean same = d != null && d.value() == value;
            return equal == same;
        }

        private Data referenced(MmState s) {
            for (GupRef r : s.refs()) {
                if (r.owner().equals(pid) && r.label() == label) return s.dataOf(r.folio());
            }
            return null;
        }
    }
}
