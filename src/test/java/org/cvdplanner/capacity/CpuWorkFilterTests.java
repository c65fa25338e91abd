package org.cvdplanner.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** The filters on their own: no server, real threads. */
class CpuWorkFilterTests {

    static CapacityProperties properties(int concurrency, int queue, Duration wait) {
        return new CapacityProperties(DataSize.ofKilobytes(1), concurrency, queue, wait,
                List.of("POST /api/v1/simulations/runs", "GET /api/v1/agents/*/analyses/**"), 64, 4);
    }

    @Test
    void heavyRequestsPastTheTurnsAndTheQueueAre503WithRetryAfterAndTheRestRun() throws Exception {
        CpuWorkFilter filter = new CpuWorkFilter(properties(2, 1, Duration.ofMillis(300)), JsonMapper.builder().build());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<MockHttpServletResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(pool.submit(() -> {
                    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/simulations/runs");
                    MockHttpServletResponse response = new MockHttpServletResponse();
                    filter.doFilter(request, response, (req, res) -> {
                        entered.countDown();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    return response;
                }));
            }
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(600); // past the wait: the queued one gives up too
            assertThat(filter.inProgress()).isEqualTo(2);
            release.countDown();
            int ok = 0;
            int busy = 0;
            for (Future<MockHttpServletResponse> call : calls) {
                MockHttpServletResponse r = call.get(10, TimeUnit.SECONDS);
                if (r.getStatus() == 200) {
                    ok++;
                } else {
                    assertThat(r.getStatus()).isEqualTo(503);
                    assertThat(r.getHeader("Retry-After")).isEqualTo("2");
                    assertThat(r.getContentType()).isEqualTo("application/problem+json");
                    assertThat(r.getContentAsString()).contains("\"status\":503");
                    busy++;
                }
            }
            assertThat(ok).isEqualTo(2);
            assertThat(busy).isEqualTo(4);
            assertThat(filter.inProgress()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lightRequestsAreNotCounted() throws Exception {
        CpuWorkFilter filter = new CpuWorkFilter(properties(1, 0, Duration.ZERO), JsonMapper.builder().build());
        MockHttpServletRequest health = new MockHttpServletRequest("GET", "/actuator/health/liveness");
        assertThat(filter.shouldNotFilter(health)).isTrue();
        assertThat(filter.shouldNotFilter(new MockHttpServletRequest("GET", "/api/v1/agents/x/analyses/initial-s2"))).isFalse();
        assertThat(filter.shouldNotFilter(new MockHttpServletRequest("GET", "/api/v1/simulations/runs"))).isTrue();
    }

    @Test
    void aDeclaredBodyAboveTheCapIs413BeforeAnythingIsRead() throws Exception {
        RequestBodyLimitFilter filter = new RequestBodyLimitFilter(properties(1, 0, Duration.ZERO), JsonMapper.builder().build());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/simulations/runs");
        request.setContent(new byte[4096]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        boolean[] called = new boolean[1];
        filter.doFilter(request, response, (req, res) -> called[0] = true);
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(called[0]).isFalse();
        // uploads have their own cap
        MockHttpServletRequest upload = new MockHttpServletRequest("POST", "/api/v1/datasets/7/profiles");
        assertThat(filter.shouldNotFilter(upload)).isTrue();
    }

    @Test
    void pastTheAdmittedUploadsTheNextIs503AtOnceAndProbesAreNeverCounted() throws Exception {
        AdmissionFilter filter = new AdmissionFilter(properties(1, 0, Duration.ZERO), JsonMapper.builder().build());
        assertThat(filter.shouldNotFilter(new MockHttpServletRequest("GET", "/actuator/health/liveness"))).isTrue();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> uploads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                uploads.add(pool.submit(() -> {
                    MockHttpServletResponse response = new MockHttpServletResponse();
                    filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/datasets/1/profiles"), response, (req, res) -> {
                        entered.countDown();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    return response.getStatus();
                }));
            }
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            MockHttpServletResponse fifth = new MockHttpServletResponse();
            filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/datasets/1/profiles"), fifth, (req, res) -> { });
            assertThat(fifth.getStatus()).isEqualTo(503);
            assertThat(fifth.getHeader("Retry-After")).isEqualTo("1");
            MockHttpServletResponse read = new MockHttpServletResponse();
            filter.doFilter(new MockHttpServletRequest("GET", "/api/v1/datasets/1"), read, (req, res) -> { });
            assertThat(read.getStatus()).as("reads are admitted while uploads are full").isEqualTo(200);
            release.countDown();
            for (Future<Integer> f : uploads) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
