package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** README stays true: every configuration key and every error code is documented there. */
class ReadmeTest {

    private final String readme = read("README.md");

    @Test
    void everyKeyOfApplicationPropertiesIsInTheReadme() {
        List<String> keys = read("application.properties").lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && l.contains("="))
                .map(l -> l.substring(0, l.indexOf('=')).trim())
                .toList();
        assertThat(keys).hasSizeGreaterThan(20);
        assertThat(keys).allSatisfy(key -> assertThat(readme).contains("`" + key + "`"));
    }

    @Test
    void everyErrorCodeIsInTheReadme() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(readme).contains("`" + code.code() + "`");
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
