package org.cvdplanner.profile;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The dataset row; its profiles are bulk data handled by {@link ProfileStore}. */
@Entity
@Table(name = "dataset")
class DatasetEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(nullable = false)
    private String source;

    @Column(name = "step_count", nullable = false)
    private int stepCount;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "external_ref")
    private String externalRef;

    protected DatasetEntity() {
    }

    DatasetEntity(String name, String description, String source, int stepCount) {
        this.name = name;
        this.description = description;
        this.source = source;
        this.stepCount = stepCount;
        this.createdAt = Instant.now();
    }

    DatasetEntity(String name, String description, String source, int stepCount, String externalRef) {
        this(name, description, source, stepCount);
        this.externalRef = externalRef;
    }

    Long getId() {
        return id;
    }

    String getName() {
        return name;
    }

    String getDescription() {
        return description;
    }

    String getSource() {
        return source;
    }

    int getStepCount() {
        return stepCount;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    String getExternalRef() {
        return externalRef;
    }
}
