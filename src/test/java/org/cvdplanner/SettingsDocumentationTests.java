package org.cvdplanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Every setting of every {@code @ConfigurationProperties} record has a row in the docs' settings
 * table of its prefix (a section headed "Settings (`prefix.*`"), with the record's default: the
 * tables are written by hand, this keeps them true. A failure lists the rows to add or fix.
 */
class SettingsDocumentationTests {

    @Test
    void everySettingIsDocumentedWithItsDefault() throws Exception {
        Map<String, Map<String, String>> documented = documentedSettings();
        List<String> problems = new ArrayList<>();
        for (Class<?> properties : propertiesRecords()) {
            String prefix = properties.getAnnotation(ConfigurationProperties.class).value();
            Map<String, String> rows = documented.get(prefix);
            if (rows == null) {
                problems.add("no section \"## Settings (`" + prefix + ".*`, record `" + properties.getSimpleName()
                        + "`)\" in docs/");
                continue;
            }
            RecordComponent[] components = properties.getRecordComponents();
            java.lang.reflect.Parameter[] parameters = properties.getDeclaredConstructor(
                    Stream.of(components).map(RecordComponent::getType).toArray(Class<?>[]::new)).getParameters();
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                String name = kebab(component.getName());
                DefaultValue defaultValue = parameters[i].getAnnotation(DefaultValue.class);
                String expected = defaultValue == null ? "" : String.join(",", defaultValue.value());
                String row = rows.get(name);
                if (row == null) {
                    problems.add(prefix + ": missing row | `" + name + "` | " + (expected.isEmpty() ? "—" : expected)
                            + " | ... |");
                } else if (!expected.isEmpty() && !row.equals(expected) && !row.startsWith(expected + " ")) {
                    problems.add(prefix + "." + name + ": documented default '" + row + "', the record's is '"
                            + expected + "'");
                }
            }
            for (String name : rows.keySet()) {
                boolean exists = Stream.of(properties.getRecordComponents()).anyMatch(c -> kebab(c.getName()).equals(name));
                if (!exists) {
                    problems.add(prefix + "." + name + ": documented but not a setting of " + properties.getSimpleName());
                }
            }
        }
        assertThat(problems).as("settings tables in docs/ vs the @ConfigurationProperties records").isEmpty();
    }

    private static List<Class<?>> propertiesRecords() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(
                    org.springframework.beans.factory.annotation.AnnotatedBeanDefinition definition) {
                return true;
            }
        };
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> records = new ArrayList<>();
        for (BeanDefinition definition : scanner.findCandidateComponents("org.cvdplanner")) {
            Class<?> type = Class.forName(definition.getBeanClassName());
            if (type.isRecord()) {
                records.add(type);
            }
        }
        assertThat(records).as("@ConfigurationProperties records found").hasSizeGreaterThanOrEqualTo(7);
        return records;
    }

    /** prefix → (setting → documented default), from "## Settings (`prefix.*`" sections of docs/*.md. */
    private static Map<String, Map<String, String>> documentedSettings() throws IOException {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                Map<String, String> current = null;
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("#")) {
                        current = null;
                        int at = line.indexOf("Settings (`");
                        if (at >= 0) {
                            String prefix = line.substring(at + "Settings (`".length(), line.indexOf(".*`", at));
                            current = sections.computeIfAbsent(prefix, p -> new LinkedHashMap<>());
                        }
                    } else if (current != null && line.startsWith("| `")) {
                        String[] cells = line.split("\\|");
                        String name = cells[1].trim().replace("`", "");
                        // thousands separators are for reading: 1,000 documents 1000
                        current.put(name, cells.length > 2
                                ? cells[2].trim().replace("`", "").replaceAll("(?<=\\d),(?=\\d{3})", "") : "");
                    }
                }
            }
        }
        return sections;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
