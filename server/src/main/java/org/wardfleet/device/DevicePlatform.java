package org.wardfleet.device;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Written {@code android} / {@code ios} on the wire. */
public enum DevicePlatform {
    ANDROID, IOS;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DevicePlatform fromWire(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
