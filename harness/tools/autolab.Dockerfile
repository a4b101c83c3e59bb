# autolab.Dockerfile - an image for Autolab (Tango) to grade forklab's assessments in: Tango's
# job runner and users, forklab's Debian packages, and forklab built from the assessment's
# autograde.tar, so that a job grades at once instead of building forklab first. The job's
# Makefile (autograde-Makefile) finds that build through FORKLAB_PREBUILT and uses it when its
# own autograde.tar is the same file; after `make autolab` again, rebuild the image.
# Build it from the folder `make autolab` wrote (build/autolab/, holding autograde.tar):
#   docker build -t forklab-autolab -f harness/tools/autolab.Dockerfile build/autolab
# and name forklab-autolab as the assessment's image. (The test suite runs the RUN commands of
# the last stage that use FORKLAB_PREBUILT, platform/autolab_image.)

# Tango's autodriver, which runs each job in the container, built from Tango's sources.
FROM debian:bookworm AS autodriver
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates git gcc \
    libc6-dev make
RUN git clone --depth 1 https://github.com/autolab/Tango.git /tango && \
    make -C /tango/autodriver

FROM debian:bookworm
COPY --from=autodriver /tango/autodriver/autodriver /usr/bin/autodriver
RUN chmod +s /usr/bin/autodriver && useradd autolab && useradd autograde && \
    mkdir -p /home/autolab /home/autograde /home/output && \
    chown autolab:autolab /home/autolab /home/output && chown autograde:autograde /home/autograde
# forklab: its Debian packages (make deps), then forklab itself, readable by the job's user.
ENV FORKLAB_PREBUILT=/opt/forklab
COPY autograde.tar ${FORKLAB_PREBUILT}/autograde.tar
RUN cd "$FORKLAB_PREBUILT" && tar -xf autograde.tar && make -C forklab deps all && \
    chmod -R a+rX "$FORKLAB_PREBUILT"
