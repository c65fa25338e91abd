package org.cvdplanner.job;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

@Component
class ActiveJobsQuery implements ActiveJobs {

    private final JobRepository repository;

    ActiveJobsQuery(JobRepository repository) {
        this.repository = repository;
    }

    @Override
    public List<UUID> activeJobsWithParameter(String parameter, long value) {
        return repository.activeWithParameter(parameter, value);
    }
}
