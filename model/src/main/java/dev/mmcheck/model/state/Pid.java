package dev.mmcheck.model.state;

/** A process slot (one mm_struct). Slots are reused after exit; {@code P0} is the first process. */
public record Pid(int index) implements Comparable<Pid> {
    public Pid {
        if (index < 0 || index >= MmState.MAX_PROCESSES) {
            throw new IllegalArgumentException("process index out of range: " + index);
        }
    }

    @Override
    public int compareTo(Pid o) {
        return Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return "P" + index;
    }
}
