#!/usr/bin/env bash
# Refreshes the vendored official onnx.proto from Debian's python3-onnx package (no internet needed
# beyond the Debian archive). The build compiles it with Grpc.Tools' protoc into internal C# types.
#   apt-get install -y python3-onnx && src/NeuroCore.Onnx/Proto/refresh-onnx-proto.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$(/usr/bin/python3 -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')"
version="$(/usr/bin/python3 -c 'import onnx; print(onnx.__version__)')"
cp "$src/onnx.proto" "$here/onnx.proto"
cp /usr/share/common-licenses/Apache-2.0 "$here/LICENSE-onnx.txt"
echo "onnx.proto refreshed from python3-onnx $version ($src/onnx.proto)"
