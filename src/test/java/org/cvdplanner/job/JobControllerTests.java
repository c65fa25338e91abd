package org.cvdplanner.job;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.cvdplanner.system.ApiProblemException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The job endpoints' error mapping, without engine or database (the job service is a test double). */
@WebMvcTest({JobController.class, DiagnosticCounterController.class})
class JobControllerTests {

    static final String PROBLEMS = "https://cvd-planner.org/problems/";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    JobService jobs;
    @MockitoBean
    JobEventStreams events;

    @Test
    void anUnknownJobIsA404NamingTheJob() throws Exception {
        UUID id = UUID.randomUUID();
        given(jobs.get(id)).willThrow(new JobNotFoundException(id));
        mvc.perform(get("/api/v1/jobs/" + id))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEMS + "job-not-found"))
                .andExpect(jsonPath("$.jobId").value(id.toString()));
    }

    @Test
    void malformedPathAndQueryValuesAre400sNamingTheParameter() throws Exception {
        mvc.perform(get("/api/v1/jobs/not-a-uuid"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
                .andExpect(jsonPath("$.field").value("id"));
        mvc.perform(get("/api/v1/jobs?status=SLEEPING"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("status"));
        mvc.perform(post("/api/v1/jobs/not-a-uuid/cancel"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("id"));
        verifyNoInteractions(jobs);
    }

    @Test
    void cancellingAFinishedJobIsAConflict() throws Exception {
        UUID id = UUID.randomUUID();
        given(jobs.cancel(id)).willThrow(new ApiProblemException(HttpStatus.CONFLICT, "job-already-finished",
                "Job already finished", "job " + id + " is SUCCEEDED").with("jobId", id));
        mvc.perform(post("/api/v1/jobs/" + id + "/cancel"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "job-already-finished"))
                .andExpect(jsonPath("$.jobId").value(id.toString()));
    }

    @Test
    void invalidJobParametersAre422sNamingTheField() throws Exception {
        given(jobs.submit(eq(DiagnosticCounterJob.TYPE), any(), any(), any(), any()))
                .willThrow(new InvalidJobParametersException("target", "must be at least 1"));
        mvc.perform(post("/api/v1/jobs/diagnostic-counter").contentType(MediaType.APPLICATION_JSON).content("{\"target\": 0}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-job-parameters"))
                .andExpect(jsonPath("$.field").value("target"));
    }

    @Test
    void anUnreadableBodyIsA400BeforeTheServiceIsAsked() throws Exception {
        mvc.perform(post("/api/v1/jobs/diagnostic-counter").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"target\": \"many\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "unreadable-body"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("\"many\"")))
                .andExpect(jsonPath("$.field").value("target"));
        verifyNoInteractions(jobs);
    }

    @Test
    void aReusedIdempotencyKeyIsA422() throws Exception {
        given(jobs.submit(eq(DiagnosticCounterJob.TYPE), any(), any(), anyString(), any()))
                .willThrow(new IdempotencyKeyReusedException("key-1"));
        mvc.perform(post("/api/v1/jobs/diagnostic-counter").contentType(MediaType.APPLICATION_JSON)
                        .header("Idempotency-Key", "key-1").content("{\"target\": 4}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "idempotency-key-reused"));
    }
}
