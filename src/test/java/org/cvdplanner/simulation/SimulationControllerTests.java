package org.cvdplanner.simulation;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Optional;

import org.cvdplanner.job.JobSubmitter;
import org.cvdplanner.profile.Datasets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The simulation endpoints' error mapping, without simulator, engine or database (test doubles). */
@WebMvcTest(SimulationController.class)
class SimulationControllerTests {

    static final String PROBLEMS = "https://cvd-planner.org/problems/";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    SimulatorService simulator;
    @MockitoBean
    JobSubmitter jobs;
    @MockitoBean
    Datasets datasets;

    @Test
    void aCampaignIntoAnUnknownDatasetIsA404NamingTheDataset() throws Exception {
        given(datasets.find(42L)).willReturn(Optional.empty());
        mvc.perform(post("/api/v1/datasets/42/simulations").contentType(MediaType.APPLICATION_JSON).content("{\"count\": 10}"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEMS + "dataset-not-found"))
                .andExpect(jsonPath("$.datasetId").value(42));
        verifyNoInteractions(jobs);
    }

    @Test
    void aRunWithoutSchedulesIsA422NamingSchedules() throws Exception {
        mvc.perform(post("/api/v1/simulations/runs").contentType(MediaType.APPLICATION_JSON).content("{\"schedules\": []}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-simulation-request"))
                .andExpect(jsonPath("$.field").value("schedules"));
        verifyNoInteractions(simulator);
    }

    @Test
    void aWronglyTypedStepIsA400UnreadableBody() throws Exception {
        mvc.perform(post("/api/v1/simulations/runs").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"schedules\": [{\"steps\": [{\"temperatureK\": \"hot\"}]}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "unreadable-body"));
        mvc.perform(post("/api/v1/datasets/not-a-number/simulations").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("datasetId"));
        verifyNoInteractions(simulator, jobs, datasets);
    }
}
