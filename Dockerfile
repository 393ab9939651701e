# mfalint in a container: a static (musl) binary in an otherwise empty
# image, run as a non-root user, scanning the repository mounted at /src:
#
#   docker build -t mfalint .
#   docker run --rm -v "$PWD:/src" mfalint scan /src
#
# The build stage compiles with Rust on Alpine (musl, statically linked);
# the runtime image holds nothing but the binary and the licences, so it
# has no shell, no package manager and nothing else to patch.
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY rules ./rules
COPY benches ./benches
COPY vendor ./vendor
RUN cargo build --locked --release \
    && strip target/release/mfalint \
    && ./target/release/mfalint --version

FROM scratch
COPY --from=build /build/target/release/mfalint /usr/local/bin/mfalint
COPY LICENSE-MIT LICENSE-APACHE /usr/share/doc/mfalint/
# A numeric user: the image has no /etc/passwd. Findings are written to
# standard output; `-o FILE` needs a writable mount.
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/mfalint"]
CMD ["scan", "."]
