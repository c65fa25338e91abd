package org.cvdplanner.profile;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface DatasetRepository extends JpaRepository<DatasetEntity, Long> {

    List<DatasetEntity> findByIdGreaterThanOrderByIdAsc(long afterId, Limit limit);

    List<DatasetEntity> findByExternalRefAndIdGreaterThanOrderByIdAsc(String externalRef, long afterId, Limit limit);
}
