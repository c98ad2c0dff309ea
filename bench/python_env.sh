# python_env.sh, sourced by the benchmark scripts, sets py to the first
# Python on PATH that has pandas, else Debian's python3-pandas, installed
# here when run as root, and has_pandas to 1 when it found one; without
# pandas py is python3 and has_pandas is empty.
py=
has_pandas=
for cand in python3 /usr/bin/python3; do
	if "$cand" -c 'import pandas' 2>/dev/null; then py=$cand; break; fi
done
if [ -z "$py" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	apt-get install -y -q python3-pandas >&2 && /usr/bin/python3 -c 'import pandas' 2>/dev/null && py=/usr/bin/python3
fi
if [ -n "$py" ]; then
	has_pandas=1
	echo "python: $py, pandas $("$py" -c 'import pandas; print(pandas.__version__)')" >&2
else
	py=python3
	echo "pandas: not installed, skipped" >&2
fi
