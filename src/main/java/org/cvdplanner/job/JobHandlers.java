package org.cvdplanner.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/** The {@link JobHandler} beans of this instance, by {@link JobHandler#type()}. */
@Component
class JobHandlers {

    private final Map<String, JobHandler<?>> byType = new LinkedHashMap<>();

    JobHandlers(List<JobHandler<?>> handlers) {
        for (JobHandler<?> handler : handlers) {
            String type = handler.type();
            if (type == null || !type.matches("[a-z0-9][a-z0-9-]{0,63}")) {
                throw new IllegalStateException("job type '" + type + "' of " + handler.getClass().getName()
                        + " must be lower-case letters, digits and dashes");
            }
            JobHandler<?> previous = byType.putIfAbsent(type, handler);
            if (previous != null) {
                throw new IllegalStateException("two job handlers for type '" + type + "': "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
    }

    Optional<JobHandler<?>> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }
}
