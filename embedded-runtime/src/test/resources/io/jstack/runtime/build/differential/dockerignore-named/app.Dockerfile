FROM jstack-examples/busybox:latest
COPY . /ctx/
