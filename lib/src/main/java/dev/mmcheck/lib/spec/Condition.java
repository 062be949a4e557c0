package dev.mmcheck.lib.spec;

import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.rules.Walkers;
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
    boolean test(Profile profile, MmState s);

    record And(List<Condition> terms) implements Condition {
        public And {
            terms = List.copyOf(terms);
        }

        public boolean test(Profile profile, MmState s) {
            for (Condition c : terms) {
                if (!c.test(profile, s)) return false;
            }
            return true;
        }
    }

    record Or(List<Condition> terms) implements Condition {
        public Or {
            terms = List.copyOf(terms);
        }

        public boolean test(Profile profile, MmState s) {
            for (Condition c : terms) {
                if (c.test(profile, s)) return true;
            }
            return false;
        }
    }

    record Not(Condition inner) implements Condition {
        public boolean test(Profile profile, MmState s) {
            return !inner.test(profile, s);
        }
    }

    /** {@code P1:A == 0xff} (a load by P1 at A) or {@code P1:pipe == 0xff} (a read through P1's reference "pipe"). */
    record Compare(Pid pid, Vaddr page, int label, boolean equal, int value) implements Condition {
        public boolean test(Profile profile, MmState s) {
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

    /** The page-table walkers a condition can name, with the results each can report (model/rules/Walkers). */
    enum Walker {
        VM_NORMAL_PAGE("vm_normal_page", foundNames()),
        FOLIO_WALK("folio_walk", foundNames()),
        WALK_PAGE_TEST("walk_page_test", List.of("walked", "skipped")),
        PAGES_STAT("pages_stat", List.of("node0", "-EFAULT", "-ENOENT")),
        GUP_CHECK("gup_check", List.of("ok", "-EFAULT"));

        private final String specName;
        private final List<String> results;

        Walker(String specName, List<String> results) {
            this.specName = specName;
            this.results = results;
        }

        private static List<String> foundNames() {
            return java.util.Arrays.stream(Walkers.Found.values()).map(Walkers.Found::specName).toList();
        }

        public String specName() {
            return specName;
        }

        public List<String> results() {
            return results;
        }

        public static Walker named(String name) {
            for (Walker w : values()) {
                if (w.specName.equals(name)) return w;
            }
            return null;
        }

        String observe(Profile profile, MmState s, Pid pid, Vaddr page) {
            return switch (this) {
                case VM_NORMAL_PAGE -> Walkers.vmNormalPage(profile, s, pid, page).specName();
                case FOLIO_WALK -> Walkers.folioWalk(profile, s, pid, page).specName();
                case WALK_PAGE_TEST -> Walkers.walkPageTestWalks(s, pid, page) ? "walked" : "skipped";
                case PAGES_STAT -> Walkers.pagesStat(profile, s, pid, page).specName();
                case GUP_CHECK -> Walkers.gupAllowed(s, pid, page) ? "ok" : "-EFAULT";
            };
        }
    }

    /** {@code P0:folio_walk(A) == anon}: what a walker reports for P's address in the final state (an exited or
     * unmapped address reports what an address without a VMA does). */
    record Observe(Pid pid, Walker walker, Vaddr page, boolean equal, String result) implements Condition {
        public boolean test(Profile profile, MmState s) {
            return equal == walker.observe(profile, s, pid, page).equals(result);
        }
    }
}
