package dev.mmcheck.model.rules;

import com.google.common.collect.ImmutableList;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A list that reads through to an immutable list and copies it only on the first change, so that an operation that
 * leaves a part of the state alone neither copies it nor rebuilds it: {@link #freeze()} returns the very list it was
 * made from when nothing was changed. Owned by one {@link Kernel}; never shared.
 */
final class CowList<T> extends AbstractList<T> implements RandomAccess {
    private final ImmutableList<T> original;
    /** Null until the first change (reads go to the original); then a private copy of the elements. */
    private Object[] elements;
    /** The size once {@link #elements} exists; until then the original's (not read here: a state's lists are often cold). */
    private int size;
    private boolean changed;

    CowList(ImmutableList<T> original) {
        this.original = original;
    }

    private Object[] writable() {
        if (elements == null) {
            elements = original.toArray();
            size = elements.length;
        }
        return elements;
    }

    boolean changed() {
        return changed;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
        if (elements == null) return original.get(index);
        if (index >= size) throw new IndexOutOfBoundsException(index);
        return (T) elements[index];
    }

    @Override
    public int size() {
        return elements == null ? original.size() : size;
    }

    @Override
    public T set(int index, T element) {
        T old = get(index);
        if (old != element) {
            writable()[index] = element;
            changed = true;
        }
        return old;
    }

    @Override
    public void add(int index, T element) {
        if (index < 0 || index > size()) throw new IndexOutOfBoundsException(index);
        Object[] elements = writable();
        if (size == elements.length) elements = java.util.Arrays.copyOf(elements, Math.max(4, size * 2));
        System.arraycopy(elements, index, elements, index + 1, size - index);
        elements[index] = element;
        this.elements = elements;
        size++;
        changed = true;
        modCount++;
    }

    @Override
    public T remove(int index) {
        T old = get(index);
        Object[] elements = writable();
        System.arraycopy(elements, index + 1, elements, index, size - index - 1);
        elements[--size] = null;
        changed = true;
        modCount++;
        return old;
    }

    /** The list as it now is: the original itself when unchanged (or changed back element by element). */
    @SuppressWarnings("unchecked")
    ImmutableList<T> freeze() {
        if (!changed) return original;
        if (size == original.size()) {
            boolean same = true;
            for (int i = 0; i < size && same; i++) same = elements[i] == original.get(i);
            if (same) return original;
        }
        return (ImmutableList<T>) ImmutableList.copyOf(java.util.Arrays.copyOf(elements, size));
    }
}
