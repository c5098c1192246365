#!/usr/bin/env bash
# Set-up step of `npm run bench:quality` (issue #5): the peers and the plot come from Debian.
#   fasttext 0.9.2      -> /usr/bin/fasttext
#   python3-sklearn 1.2 -> /usr/bin/python3 (call it by full path: a pyenv python3 may shadow it)
#   python3-matplotlib  -> docs/data-efficiency.png
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v fasttext >/dev/null || need+=(fasttext)
/usr/bin/python3 -c 'import sklearn' 2>/dev/null || need+=(python3-sklearn)
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || need+=(python3-matplotlib)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "fasttext $(dpkg-query -W -f='${Version}' fasttext); $(/usr/bin/python3 -c 'import sklearn, matplotlib; print("scikit-learn", sklearn.__version__, "matplotlib", matplotlib.__version__)')"
