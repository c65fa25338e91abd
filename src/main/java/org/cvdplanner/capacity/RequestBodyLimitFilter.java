package org.cvdplanner.capacity;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Refuses a body whose Content-Type is a wildcard (415) and caps the body of every request but profile uploads at {@code maxRequestBody}: a declared
 * length above it is 413 before anything is read; a chunked body fails as it passes the cap
 * (the JSON reader then reports 413, see {@link RequestBodyTooLargeException}).
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final CapacityProperties properties;
    private final ObjectMapper mapper;

    RequestBodyLimitFilter(CapacityProperties properties, ObjectMapper mapper) {
        this.properties = properties;
        this.mapper = mapper;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // profile uploads stream with their own, larger cap
        return isUpload(request);
    }

    static boolean isUpload(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && request.getRequestURI().matches(".*/api/v1/datasets/[^/]+/profiles/?");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType != null && !concrete(contentType)) {
            // Spring MVC cannot read a body declared as */* or text/* (it would be a 500)
            ProblemResponses.write(response, mapper, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Unsupported media type", "Content-Type '" + contentType + "' is not a concrete media type; "
                            + "send application/json", null);
            return;
        }
        long limit = properties.maxRequestBody().toBytes();
        if (request.getContentLengthLong() > limit) {
            ProblemResponses.write(response, mapper, HttpStatus.CONTENT_TOO_LARGE, "request-too-large",
                    "Request body too large", "the request body is " + request.getContentLengthLong()
                            + " bytes; this endpoint accepts at most " + properties.maxRequestBody(), null);
            return;
        }
        chain.doFilter(new Limited(request, limit), response);
    }

    private static boolean concrete(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            // unparseable: Spring MVC answers 415 itself
            return true;
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) {
                        read += n;
                        if (read > limit) {
                            throw new RequestBodyTooLargeException(limit);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
