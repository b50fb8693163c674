#!/bin/bash
# Drives the bash completion of sv-calc as bash does on Tab:
#   bash tests/completion_test.sh src/completions/sv-calc.bash < lines
# Each line of standard input is a command line, the cursor at its end or
# at a ^ in it.  It is split into COMP_WORDS as bash splits it: at blanks
# outside quotes, and at = and : (each run of them a word of its own);
# COMP_CWORD is the word the cursor is in or at the end of (else the next
# one; an empty word at the end of the line); COMP_LINE and COMP_POINT
# are set, and _sv_calc is called.  Prints "$ LINE" (with the ^), then
# the replies sorted, one a line, indented, or "  (none)".
set -u
. "$1" || exit 1

while IFS= read -r shown; do
	line=$shown
	point=${#line}
	if [[ $line == *^* ]]; then
		line=${line%%^*}
		point=${#line}
		line+=${shown#*^}
	fi
	# the words, and the offset just past each
	words=() ends=()
	word= q= kind= # kind: "" none yet, w word, b a run of = and :
	for ((i = 0; i <= ${#line}; i++)); do
		c=${line:i:1}
		if ((i == ${#line})); then
			if [[ -n $kind ]]; then
				words+=("$word")
				ends+=("$i")
			fi
			break
		fi
		if [[ -n $q ]]; then
			word+=$c
			[[ $c == "$q" ]] && q=
			continue
		fi
		case $c in
		' ')
			new=
			;;
		[=:])
			new=b
			;;
		*)
			new=w
			;;
		esac
		if [[ -n $kind && $new != "$kind" ]]; then
			words+=("$word")
			ends+=("$i")
			word=
		fi
		kind=$new
		[[ -n $new ]] || continue
		if [[ $c == '\' ]]; then
			c+=${line:i+1:1}
			((i++))
		fi
		[[ $c == [\'\"] ]] && q=$c
		word+=$c
	done
	cword=${#words[@]}
	for ((j = 0; j < ${#words[@]}; j++)); do
		if ((ends[j] >= point)); then
			cword=$j
			break
		fi
	done
	((cword < ${#words[@]})) || words+=("")
	COMP_WORDS=("${words[@]}")
	COMP_CWORD=$cword
	COMP_LINE=$line
	COMP_POINT=$point
	COMPREPLY=()
	_sv_calc
	printf '$ %s\n' "$shown"
	if ((${#COMPREPLY[@]})); then
		printf '  %s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
	else
		echo "  (none)"
	fi
done
