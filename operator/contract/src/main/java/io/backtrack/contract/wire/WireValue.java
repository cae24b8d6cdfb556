package io.backtrack.contract.wire;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A value as it travels in a flag: the enums of this package, spelled as the agent's CLI and the CRDs spell them. */
public interface WireValue {
    /** As the flag spells it, e.g. {@code inPlace}. */
    String wireName();

    /**
     * The constant spelled {@code value} (exactly); throws IllegalArgumentException naming {@code what} and every
     * allowed spelling: {@code unknown strategy 'x': use newDatabase, swap or inPlace}.
     */
    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String value, String what) {
        E[] all = type.getEnumConstants();
        for (E e : all) {
            if (e.wireName().equals(value)) {
                return e;
            }
        }
        String names = Arrays.stream(all).map(WireValue::wireName).collect(Collectors.joining(", "));
        int last = names.lastIndexOf(", ");
        throw new IllegalArgumentException("unknown " + what + " '" + value + "': use "
                + (last < 0 ? names : names.substring(0, last) + " or " + names.substring(last + 2)));
    }
}
