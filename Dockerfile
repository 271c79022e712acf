# A Jupyter image with kqlkernel. BinderHub (repo2docker) builds this file too: with no
# binder/ folder it uses the top-level Dockerfile, which must run as NB_USER on port 8888.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /kqlkernel ./cmd/kqlkernel

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY tests/requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
COPY --from=build /kqlkernel /usr/local/bin/kqlkernel
RUN kqlkernel install --sys-prefix
ARG NB_USER=jovyan
ARG NB_UID=1000
RUN useradd -m -u ${NB_UID} ${NB_USER}
COPY examples /home/${NB_USER}/examples
RUN chown -R ${NB_USER} /home/${NB_USER}
USER ${NB_USER}
WORKDIR /home/${NB_USER}
EXPOSE 8888
CMD ["jupyter", "lab", "--ip=0.0.0.0", "--no-browser", "--notebook-dir=examples"]
