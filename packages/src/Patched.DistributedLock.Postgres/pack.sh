#!/usr/bin/env bash
# Rebuilds packages/local/patched.distributedlock.postgres.1.3.3.nupkg from the nuspec beside it.
# A nupkg is a zip holding the nuspec; no assemblies are in this metapackage.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../local/Patched.DistributedLock.Postgres.1.3.3.nupkg"
rm -f "$out"
cd "$here" && python3 -c "
import zipfile,sys
with zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED) as z:
    z.write('Patched.DistributedLock.Postgres.nuspec')
" "$out"
echo "wrote $out"
