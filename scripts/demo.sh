#!/usr/bin/env bash
# The whole GitOps loop on one machine, printed as a tutorial: a local Kubernetes API server
# (kube-test-server, with a throwaway CA and token), the SealedSecret CRD, the controller; then
# what a user does — fetch the certificate, seal a Secret, commit and apply the SealedSecret,
# read the Secret the controller wrote — and a key rotation re-sealed with
# `sealkit reseal --online`. Everything runs on loopback from a temporary directory and is
# stopped and removed at the end.
#
#   scripts/demo.sh                 build (release, once) and run
#   scripts/demo.sh --keep          leave the API server and controller running to keep playing
#   scripts/demo.sh --port 8443     the API server's port (default: a free one)
#
# Environment:
#   SEALKIT_BIN_DIR=DIR          use sealkit, sealkit-controller and kube-test-server from DIR
#                                instead of building (the end-to-end test runs the debug build)
#   SEALKIT_DEMO_TIMEOUT=SECS    how long each wait may take (default 60)
#   SEALKIT_DEMO_KEY_SIZE=BITS   the controller's --key-size (default: its own, 4096)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

keep=0
api_port=0
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) keep=1 ;;
        --port)
            api_port="${2:-}"
            [[ "$api_port" =~ ^[0-9]+$ ]] || { echo "error: --port needs a port number" >&2; exit 64; }
            shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown option $1 (try --help)" >&2; exit 64 ;;
    esac
    shift
done
timeout="${SEALKIT_DEMO_TIMEOUT:-60}"

# A user's own settings must not change the demo: SEALED_SECRETS_* would set sealkit's and the
# controller's flags, and the kubeconfig is the demo's own.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^SEALED_SECRETS_' || true)
unset KUBECONFIG

work=""           # the demo's directory: cluster/ (PKI, kubeconfig, logs) and repo/ (the GitOps repository)
server_pid=""
controller_pid=""
step_number=0
step_title="preparing"   # before step 1: what the preparation is doing
succeeded=0
keep_files=0      # after a failure, keep the directory (the error line names a log in it)

# --- output --------------------------------------------------------------------------------

# A numbered step: what it shows, then the commands a user would type, each followed by its
# output, indented.
step() {
    step_number=$((step_number + 1))
    step_title="$1"
    printf '\n%d. %s\n' "$step_number" "$1"
}
# The command a user would type.
say() { printf '   $ %s\n' "$1"; }
# A remark between commands.
note() { printf '   # %s\n' "$1"; }
indent() { sed 's/^/     /'; }

# One line naming the step and what to do, then exit (the EXIT trap cleans up). A message that
# points into the demo's directory keeps it for the user to look at.
fail() {
    case "$*" in *"${work:-//}"*) keep_files=1 ;; esac
    if [ "$step_number" -gt 0 ]; then
        echo "error: step $step_number ($step_title): $*" >&2
    else
        echo "error: $step_title: $*" >&2
    fi
    exit 1
}

# `run COMMAND [HINT]` shows COMMAND and runs it in the demo directory, with its output indented; a failure ends
# the demo with one line naming the command (and HINT, if given). `run_shown SHOWN COMMAND
# [HINT]` shows SHOWN instead (for the same command run from another directory).
run() { run_shown "$1" "$1" "${2:-}"; }
run_shown() {
    say "$1"
    local status=0
    eval "$2" >"$work/.output" 2>&1 || status=$?
    indent <"$work/.output"
    [ "$status" = 0 ] || fail "\`$1\` exited with status $status${3:+; $3}"
}

# Polls COMMAND (quietly) every 0.2 s until it succeeds; after $timeout seconds, or if the API
# server or controller exits, ends the demo naming WHAT it waited for.
wait_until() {
    local what="$1" command="$2" deadline=$((SECONDS + timeout))
    until eval "$command" >/dev/null 2>&1; do
        check_processes
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${timeout}s waiting for $what; see $work/cluster/controller.log and server.log (set SEALKIT_DEMO_TIMEOUT to wait longer)"
        sleep 0.2
    done
}

# Ends the demo if the API server or the controller has exited, quoting its last log line.
check_processes() {
    if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
        server_pid=""
        fail "kube-test-server exited: $(first_error "$work/cluster/server.log")"
    fi
    if [ -n "$controller_pid" ] && ! kill -0 "$controller_pid" 2>/dev/null; then
        controller_pid=""
        fail "sealkit-controller exited: $(last_line "$work/cluster/controller.log") (full log: $work/cluster/controller.log)"
    fi
}
last_line() { grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -n 1 || true; }
first_error() { grep -m 1 '^error' "$1" 2>/dev/null || last_line "$1"; }

elapsed() {
    local seconds=$1
    if [ "$seconds" -ge 60 ]; then printf '%dm %02ds' $((seconds / 60)) $((seconds % 60)); else printf '%ds' "$seconds"; fi
}

# --- clean-up ------------------------------------------------------------------------------

stop_process() {
    local pid="$1"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
}

# On success without --keep, and on any failure: stop both processes. The directory goes,
# unless the error line pointed into it.
cleanup() {
    local status=$?
    trap - ERR
    [ -z "$build_pid" ] || kill "$build_pid" 2>/dev/null || true
    if [ "$succeeded" = 1 ] && [ "$keep" = 1 ]; then return; fi
    stop_process "$controller_pid"
    stop_process "$server_pid"
    if [ -n "$work" ] && { [ "$status" = 0 ] || [ "$keep_files" = 0 ]; }; then rm -rf "$work"; fi
}
build_pid=""
trap cleanup EXIT
# Anything else that fails still ends with one line naming the step (not in subshells: their
# caller reports).
set -o errtrace
trap '[ "$BASH_SUBSHELL" != 0 ] || fail "\`$BASH_COMMAND\` failed with status $?"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# --- preparation: system packages and binaries ---------------------------------------------

require_tools() {
    local tool hint
    for tool in kubectl openssl git; do
        command -v "$tool" >/dev/null 2>&1 && continue
        case "$tool" in
            kubectl) hint="sudo apt-get install kubernetes-client, or see https://kubernetes.io/docs/tasks/tools/" ;;
            *) hint="sudo apt-get install $tool" ;;
        esac
        fail "$tool is not installed; install it ($hint), or run SEALKIT_WITH_DEMO_TOOLS=1 scripts/setup-system.sh"
    done
}

# Installs what is missing (Debian/Ubuntu), quietly; one line if that fails.
install_system_packages() {
    step_title="installing system packages"
    command -v dpkg >/dev/null 2>&1 || return 0
    local log
    log="$(mktemp -t sealkit-setup.XXXXXX.log)"
    if ! SEALKIT_WITH_DEMO_TOOLS=1 scripts/setup-system.sh 2>"$log"; then
        fail "installing system packages failed ($(last_line "$log")); install libssl-dev libyaml-dev pkg-config kubernetes-client openssl git by hand, or run SEALKIT_WITH_DEMO_TOOLS=1 scripts/setup-system.sh to see why"
    fi
    grep '^installing ' "$log" || true
    rm -f "$log"
}

# Builds the three products in release mode: one line, a spinner with the elapsed time on a
# terminal, and the compiler's output only if the build fails.
build() {
    step_title="building"
    command -v swift >/dev/null 2>&1 \
        || fail "swift is not installed; install Swift 6 (https://www.swift.org/install/), or set SEALKIT_BIN_DIR to a directory with prebuilt binaries"
    local library
    for library in openssl yaml-0.1; do
        pkg-config --exists "$library" 2>/dev/null \
            || fail "pkg-config cannot find $library; install the OpenSSL 3 and libyaml development files and pkg-config (Debian/Ubuntu: libssl-dev libyaml-dev pkg-config)"
    done
    local scratch=.build-release
    mkdir -p "$scratch"
    local log="$scratch/demo-build.log"
    echo "building sealkit, sealkit-controller and kube-test-server (release) — the first build takes several minutes"
    local started=$SECONDS
    (
        # Stopped (Ctrl-C, or the demo exiting), it stops the build it is waiting for.
        child=""
        trap 'kill "$child" 2>/dev/null; exit 143' TERM
        for product in sealkit sealkit-controller kube-test-server; do
            swift build -c release --scratch-path "$scratch" --product "$product" &
            child=$!
            wait "$child" || exit
        done
    ) >"$log" 2>&1 &
    build_pid=$!
    if [ -t 1 ]; then
        local frames=('|' '/' '-' "\\") i=0
        while kill -0 "$build_pid" 2>/dev/null; do
            printf '\r  %s %s ' "${frames[i++ % 4]}" "$(elapsed $((SECONDS - started)))"
            sleep 0.25
        done
        printf '\r\033[K'
    fi
    local status=0
    wait "$build_pid" || status=$?
    build_pid=""
    if [ "$status" != 0 ]; then
        echo "error: the build failed (exit status $status); the end of its log:" >&2
        tail -n 30 "$log" | sed 's/^/  /' >&2
        echo "error: the build failed; full log: $root/$log" >&2
        exit 1
    fi
    echo "built in $(elapsed $((SECONDS - started)))"
    bin_dir="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
}

prepare() {
    if [ -n "${SEALKIT_BIN_DIR:-}" ]; then
        step_title="prebuilt binaries"
        bin_dir="$(cd "$SEALKIT_BIN_DIR" 2>/dev/null && pwd)" || fail "SEALKIT_BIN_DIR=$SEALKIT_BIN_DIR is not a directory"
    else
        install_system_packages
        build
    fi
    step_title="checking tools"
    require_tools
    local binary
    for binary in sealkit sealkit-controller kube-test-server; do
        [ -x "$bin_dir/$binary" ] || fail "$bin_dir/$binary is missing; build it (swift build --product $binary) or unset SEALKIT_BIN_DIR"
    done
    export PATH="$bin_dir:$PATH"

    # cluster/: the PKI, kubeconfig and logs; repo/: the user's side, a GitOps repository.
    work="$(mktemp -d -t sealkit-demo.XXXXXX)"
    mkdir "$work/cluster" "$work/repo"
    cd "$work/cluster"
    # kubectl's discovery cache stays in the demo's directory, not in ~/.kube.
    export KUBECACHEDIR="$work/cluster/.kube-cache"
    # git for the demo's repository only: no user configuration (signing, hooks), a fixed author.
    export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
    export GIT_AUTHOR_NAME="SealKit demo" GIT_AUTHOR_EMAIL="demo@sealkit.invalid"
    export GIT_COMMITTER_NAME="SealKit demo" GIT_COMMITTER_EMAIL="demo@sealkit.invalid"
}

# A port nothing listens on (a refused connection), for the controller's two listeners.
free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    return 1
}

# --- the demo ------------------------------------------------------------------------------

# A CA, a server certificate for 127.0.0.1 signed by it, and a bearer token: all throwaway.
make_pki() {
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=sealkit-demo-ca \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -keyout ca.key -out ca.crt
    openssl req -newkey rsa:2048 -nodes -subj /CN=kube-test-server -keyout server.key -out server.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" -days 2 \
        -extfile server.ext -out server.crt
    openssl rand -hex 16 >token
    chmod 600 ca.key server.key token
}

start_api_server() {
    step "Start a Kubernetes API server on loopback: the embedded kube-test-server"
    note "a throwaway CA, a server certificate for 127.0.0.1 and a bearer token, made with openssl"
    make_pki >pki.log 2>&1 || fail "openssl could not make the throwaway PKI: $(last_line pki.log)"
    say "kube-test-server --port $api_port --tls-cert server.crt --tls-key server.key --token \"\$(cat token)\" > server.url &"
    kube-test-server --port "$api_port" --tls-cert server.crt --tls-key server.key --token "$(cat token)" \
        >server.url 2>server.log &
    server_pid=$!
    local deadline=$((SECONDS + timeout))
    until [ -s server.url ] && [ "$(wc -l <server.url)" -ge 1 ]; do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            server_pid=""
            if [ "$api_port" != 0 ] && grep -qi 'in use' server.log; then
                fail "port $api_port is in use; pass another --port, or leave it out to pick a free one"
            fi
            fail "kube-test-server exited: $(first_error server.log)"
        fi
        [ "$SECONDS" -lt "$deadline" ] || fail "kube-test-server printed no URL within ${timeout}s; see $work/cluster/server.log"
        sleep 0.1
    done
    server_url="$(head -n 1 server.url)"
    echo "$server_url" | indent
    cat >kubeconfig <<EOF
apiVersion: v1
kind: Config
current-context: sealkit-demo
clusters:
- name: sealkit-demo
  cluster:
    server: $server_url
    certificate-authority: $work/cluster/ca.crt
users:
- name: sealkit-demo
  user:
    token: $(cat token)
contexts:
- name: sealkit-demo
  context:
    cluster: sealkit-demo
    user: sealkit-demo
EOF
    chmod 600 kubeconfig
    note "a kubeconfig for it (server, CA, token); kubectl, sealkit and the controller all read it"
    say "export KUBECONFIG=$work/cluster/kubeconfig"
    export KUBECONFIG="$work/cluster/kubeconfig"
    wait_until "the API server to answer" "kubectl get --raw /version"
}

install_crd() {
    step "Install the SealedSecret CRD (Bitnami's schema, from controller/deploy)"
    run_shown "kubectl apply -f controller/deploy/base/crd.yaml" "kubectl apply -f '$root/controller/deploy/base/crd.yaml'"
}

start_controller() {
    step "Start the controller: with no key in kube-system yet, it generates one"
    local api metrics
    api="$(free_port)" || fail "found no free local port for the controller"
    metrics="$(free_port)" || fail "found no free local port for the controller"
    while [ "$metrics" = "$api" ]; do metrics="$(free_port)" || fail "found no free local port for the controller"; done
    local key_size=()
    [ -n "${SEALKIT_DEMO_KEY_SIZE:-}" ] && key_size=(--key-size "$SEALKIT_DEMO_KEY_SIZE")
    say "POD_NAMESPACE=kube-system sealkit-controller --listen-addr 127.0.0.1:$api --listen-metrics-addr 127.0.0.1:$metrics${key_size:+ ${key_size[*]}} > controller.log 2>&1 &"
    POD_NAMESPACE=kube-system sealkit-controller --listen-addr "127.0.0.1:$api" --listen-metrics-addr "127.0.0.1:$metrics" \
        "${key_size[@]}" >controller.log 2>&1 &
    controller_pid=$!
    note "the Service kubeseal and sealkit look for (as in controller/deploy/base/service.yaml), at that port"
    cat >service.yaml <<EOF
apiVersion: v1
kind: Service
metadata:
  name: sealed-secrets-controller
  namespace: kube-system
spec:
  ports:
    - name: http
      port: 8080
      targetPort: $api
EOF
    run "kubectl apply -f service.yaml"
    local started=$SECONDS
    local proxy=/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy
    wait_until "the controller to be ready (its key made and loaded)" "kubectl get --raw $proxy/readyz"
    note "ready after $(elapsed $((SECONDS - started))) (pid $controller_pid)"
}

fetch_certificate() {
    step "Fetch the sealing certificate, through the API server's service proxy"
    note "from here on, in a GitOps repository (a new git repository stands in for yours)"
    run_shown "cd ../repo && git init -q" "cd '$work/repo' && git init -q"
    run "sealkit --fetch-cert > cert.pem"
    run "sealkit keys inspect cert.pem"
}

seal_and_commit() {
    step "Create a Secret and seal it; commit only the SealedSecret"
    note "secret.yaml holds plaintext: it never goes into git"
    run "kubectl create secret generic database -n prod --from-literal=username=orders --from-literal=password=\"\$(openssl rand -base64 18)\" --dry-run=client -o yaml > secret.yaml"
    note "no --cert: sealkit asks the controller, as kubeseal does"
    run "sealkit -f secret.yaml -w sealed.yaml"
    run "cat sealed.yaml"
    run "git add sealed.yaml && git commit -q -m 'database credentials, sealed' && git log --oneline"
}

apply_and_wait() {
    step "Apply the SealedSecret (what Argo CD or Flux would do) and wait for the controller"
    run "kubectl apply -f sealed.yaml"
    run "kubectl wait -n prod sealedsecret/database --for=condition=Synced --timeout=${timeout}s" \
        "the controller did not unseal it; see $work/cluster/controller.log"
    run "kubectl get sealedsecret -n prod"
}

show_secret() {
    step "The Secret the controller wrote (PLAINTEXT: decoded here only to show that it worked)"
    run "kubectl get secret database -n prod -o go-template='{{range \$k, \$v := .data}}{{\$k}}: {{\$v | base64decode}}{{\"\\n\"}}{{end}}'"
    same_secret_data
}

# The Secret in the cluster holds exactly what secret.yaml held (compared quietly, as base64).
same_secret_data() {
    local written sealed
    written="$(kubectl get secret database -n prod -o 'go-template={{.data}}')"
    sealed="$(kubectl create --dry-run=client -f secret.yaml -o 'go-template={{.data}}')"
    [ "$written" = "$sealed" ] || fail "the Secret in the cluster does not hold what secret.yaml held"
}

show_key() {
    step "The controller's key: a kubernetes.io/tls Secret in kube-system (back it up; never commit it)"
    run "kubectl get secrets -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key"
}

rotate() {
    step "Rotate: a new key seals from now on; the old one still unseals"
    note "in a cluster this happens every --key-renew-period (720h); SIGUSR1 renews now"
    run "kill -USR1 $controller_pid"
    wait_until "a second key" \
        "[ \"\$(kubectl get secrets -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o name | wc -l)\" -ge 2 ]"
    wait_until "the controller to serve the new certificate" "sealkit --fetch-cert > '$work/cluster/cert.new' && ! cmp -s '$work/cluster/cert.new' cert.pem"
    run "sealkit keys inspect"
}

reseal() {
    step "Re-seal the repository with the new key, review and commit"
    run "sealkit reseal --online ."
    note "only the ciphertext changed (long lines cut here)"
    say "git diff"
    git diff --no-color | cut -c1-110 | sed 's/^\(.\{109\}\).$/\1…/' | indent
    # Every changed line is an encryptedData value; names, scope and the template are untouched.
    local changed
    changed="$(git diff --no-color -U0 | grep '^[-+][^-+]' | grep -cv '^[-+] *[^ :]*: [A-Za-z0-9+/=]*$' || true)"
    [ "$changed" = 0 ] || fail "sealkit reseal changed more than ciphertext"
    run "git commit -q -am 're-seal with the new key' && git log --oneline"
    run "kubectl apply -f sealed.yaml"
    wait_until "the controller to unseal the re-sealed SealedSecret" \
        "kubectl get sealedsecret database -n prod -o jsonpath='{.metadata.generation} {.status.observedGeneration} {.status.conditions[0].status}' | grep -qx '2 2 True'"
    run "kubectl get sealedsecret -n prod"
    same_secret_data
    note "the Secret is unchanged: the new ciphertext opens to the same values"
}

finish() {
    if [ "$keep" = 1 ]; then
        step "Keep playing: the API server and the controller are still running"
        say "export KUBECONFIG=$work/cluster/kubeconfig PATH=$bin_dir:\$PATH"
        say "cd $work/repo"
        note "when done:"
        say "kill $controller_pid $server_pid && rm -rf $work"
    else
        step "Clean up: stop the controller and the API server, remove $work"
        # The controller first: it releases its lease through the API server as it stops.
        run "kill $controller_pid"
        stop_process "$controller_pid"
        controller_pid=""
        run "kill $server_pid"
        stop_process "$server_pid"
        server_pid=""
        note "run scripts/demo.sh --keep to leave them running"
    fi
    succeeded=1
}

prepare
start_api_server
install_crd
start_controller
fetch_certificate
seal_and_commit
apply_and_wait
show_secret
show_key
rotate
reseal
finish
