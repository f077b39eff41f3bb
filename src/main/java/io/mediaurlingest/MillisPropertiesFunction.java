package io.mediaurlingest;

import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{millis:some.key}}}: the duration a key holds (10s, 5m, 1h), in milliseconds, for the
 * endpoint options that only take a number, such as camel-quartz's trigger.repeatInterval. The
 * keys stay written in durations, like every other one in application.properties.
 */
public final class MillisPropertiesFunction implements PropertiesFunction {

    private final PropertiesComponent properties;

    public MillisPropertiesFunction(PropertiesComponent properties) {
        this.properties = properties;
    }

    @Override
    public String getName() {
        return "millis";
    }

    @Override
    public String apply(String key) {
        String value = properties.resolveProperty(key)
                .orElseThrow(() -> new IllegalArgumentException("{{millis:" + key + "}}: " + key + " is not set"));
        return String.valueOf(Settings.parseDuration(value).toMillis());
    }
}
