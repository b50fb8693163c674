# bash completion for sv-calc                              -*- shell-script -*-
#
# Installed as $(PREFIX)/share/bash-completion/completions/sv-calc, where
# bash-completion loads it on the first Tab after "sv-calc"; or source it
# from ~/.bashrc.  It needs nothing from bash-completion itself.
#
# The options of each command are not listed here: they are read from
# "sv-calc [COMMAND] --help" at completion time (the option lines of the
# help, which is generated from the parser's own table), so they cannot
# drift from the binary.  So are the --format values, from that option's
# help text.  The --by keys, the encodings and the delimiters are fixed
# lists below; --by also offers the column names from the header line of
# the first input file already on the command line.

# The --by keys, the encodings, the delimiters, and the --format values
# used when the help text cannot be read.
_sv_calc_keys=(theme measure value_type month quarter fq year fy file)
_sv_calc_encodings=(utf-8 windows-1252)
_sv_calc_delimiters=(',' ';' tab)
_sv_calc_formats_fallback=(table csv tsv json markdown svg headline xlsx html)

# REPLY: $1 with the shell's quoting removed (backslashes, '...', "..."),
# and a leading ~/ expanded when $2 is "tilde".
_sv_calc_dequote()
{
	local s=$1 out= c q=
	while [[ -n $s ]]; do
		c=${s:0:1}
		s=${s:1}
		if [[ $q == "'" ]]; then
			if [[ $c == "'" ]]; then q=; else out+=$c; fi
		elif [[ $q == '"' ]]; then
			if [[ $c == '"' ]]; then
				q=
			elif [[ $c == '\' && $s == [\"\\\$\`]* ]]; then
				out+=${s:0:1}
				s=${s:1}
			else
				out+=$c
			fi
		else
			case $c in
			"'") q="'" ;;
			'"') q='"' ;;
			'\') out+=${s:0:1}; s=${s:1} ;;
			*) out+=$c ;;
			esac
		fi
	done
	if [[ ${2-} == tilde && ( $out == '~' || $out == '~/'* ) ]]; then
		out=$HOME${out#\~}
	fi
	REPLY=$out
}

# REPLY: $1 with a backslash before each character the shell would take
# for something else (not before commas, as printf %q does).
_sv_calc_escape()
{
	local s=$1 c out=
	while [[ -n $s ]]; do
		c=${s:0:1}
		s=${s:1}
		case $c in
		[[:alnum:],.:=_+/@%^-]) out+=$c ;;
		*) out+="\\$c" ;;
		esac
	done
	REPLY=$out
}

# Reads "PROG [COMMAND] --help" and sets, for each of its option lines:
#   _sv_calc_opts      every option name, short and long
#   _sv_calc_optlong   the long name of each (parallel to _sv_calc_opts)
#   _sv_calc_optarg    its argument's name, empty for a flag (parallel)
# and _sv_calc_formats: the values the description of --format lists
# ("table (default), csv, tsv, json or markdown").
_sv_calc_read_help()
{
	_sv_calc_opts=() _sv_calc_optlong=() _sv_calc_optarg=() _sv_calc_formats=()
	local help line short long arg format= in_format=
	help=$("$@" --help 2>/dev/null) || help=
	# "  -f, --format FMT      the description" or "      --raw    the description"
	local re='^  (-([[:alnum:]]), |    )(--[[:alnum:]][[:alnum:]_-]*)( ([A-Z][^ ]*))?( +(.*))?$'
	local re_short='^  (-[[:alnum:]])( ([A-Z][^ ]*))?( +(.*))?$'
	local re_more='^                    +([^ ].*)$' # a description's next line
	while IFS= read -r line; do
		if [[ $line =~ $re ]]; then
			short=${BASH_REMATCH[2]:+-${BASH_REMATCH[2]}}
			long=${BASH_REMATCH[3]}
			arg=${BASH_REMATCH[5]}
			in_format=
			if [[ $long == --format ]]; then
				in_format=1
				format=${BASH_REMATCH[7]}
			fi
			if [[ -n $short ]]; then
				_sv_calc_opts+=("$short")
				_sv_calc_optlong+=("$long")
				_sv_calc_optarg+=("$arg")
			fi
			_sv_calc_opts+=("$long")
			_sv_calc_optlong+=("$long")
			_sv_calc_optarg+=("$arg")
		elif [[ $line =~ $re_short ]]; then
			in_format=
			_sv_calc_opts+=("${BASH_REMATCH[1]}")
			_sv_calc_optlong+=("${BASH_REMATCH[1]}")
			_sv_calc_optarg+=("${BASH_REMATCH[3]}")
		elif [[ -n $in_format && $line =~ $re_more ]]; then
			format+=" ${BASH_REMATCH[1]}"
		else
			in_format=
		fi
	done <<< "$help"
	# The list's words: parenthesised remarks dropped, ", " and " or " made
	# spaces.  A clause after ";" that starts with "COMMAND:" is the list
	# for that command only ("...; trace: csv (default), tsv or json").
	while [[ $format == *'('*')'* ]]; do
		format=${format%%'('*}${format#*')'}
	done
	local clause general= own= c=${2:-}
	local -a f=()
	IFS=';' read -r -a f <<< "$format"
	for clause in "${f[@]}"; do
		clause=${clause#"${clause%%[! ]*}"}
		if [[ $clause =~ ^([a-z]+):\ (.*)$ ]]; then
			[[ ${BASH_REMATCH[1]} == "$c" ]] && own=${BASH_REMATCH[2]}
		else
			general+=" $clause"
		fi
	done
	format=${own:-$general}
	format=${format//,/ }
	format=${format// or / }
	read -r -a f <<< "$format"
	for arg in "${f[@]}"; do
		[[ $arg =~ ^[a-z][a-z0-9_-]*$ ]] && _sv_calc_formats+=("$arg")
	done
	((${#_sv_calc_formats[@]})) || _sv_calc_formats=("${_sv_calc_formats_fallback[@]}")
}

# Index in _sv_calc_opts of option $1, or 1 (false).
_sv_calc_find_opt()
{
	local i
	for i in "${!_sv_calc_opts[@]}"; do
		if [[ ${_sv_calc_opts[i]} == "$1" ]]; then
			REPLY=$i
			return 0
		fi
	done
	return 1
}

# For a word of short options ("-fcsv", "-Vf"): true when one of them
# takes a value.  REPLY: that option's long name; REPLY2: what follows it
# in the word (its value, possibly empty: then it is the next word).
_sv_calc_short_value()
{
	local w=${1#-} c
	while [[ -n $w ]]; do
		c=${w:0:1}
		w=${w:1}
		_sv_calc_find_opt "-$c" || return 1
		if [[ -n ${_sv_calc_optarg[REPLY]} ]]; then
			REPLY=${_sv_calc_optlong[REPLY]}
			REPLY2=$w
			_sv_calc_short_prefix=${1%"$w"}
			return 0
		fi
	done
	return 1
}

# _sv_calc_cols: the column names in the header of CSV file $1 (its first
# line that is not blank, after a "sep=" line), split at delimiter $2 or,
# when $2 is empty, at the one the header has most of (as sv-calc does).
_sv_calc_columns()
{
	_sv_calc_cols=()
	local file=$1 d=$2 line n=0 header= sep=
	[[ -f $file && -r $file ]] || return
	while ((n < 20)) && IFS= read -r -n 65536 line; do
		((n++))
		((n == 1)) && line=${line#$'\xef\xbb\xbf'}
		line=${line%$'\r'}
		[[ $line == *[!\ $'\t',\;]* ]] || continue
		if [[ -z $sep && $line =~ ^\ *[sS][eE][pP]=(.)\ *$ ]]; then
			[[ -n $d ]] || d=${BASH_REMATCH[1]}
			sep=1
			continue
		fi
		sep=1
		header=$line
		break
	done < "$file"
	[[ -n $header ]] || return
	local i c quoted= comma=0 semi=0 tab=0
	if [[ -z $d ]]; then
		for ((i = 0; i < ${#header}; i++)); do
			c=${header:i:1}
			case $c in
			'"') if [[ -n $quoted ]]; then quoted=; else quoted=1; fi ;;
			,) [[ -n $quoted ]] || ((comma++)) ;;
			\;) [[ -n $quoted ]] || ((semi++)) ;;
			$'\t') [[ -n $quoted ]] || ((tab++)) ;;
			esac
		done
		if ((comma >= semi && comma >= tab)); then
			d=,
		elif ((semi >= tab)); then
			d=';'
		else
			d=$'\t'
		fi
	fi
	local field= was_quoted=
	quoted=
	header+=$d
	for ((i = 0; i < ${#header}; i++)); do
		c=${header:i:1}
		if [[ -n $quoted ]]; then
			if [[ $c == '"' ]]; then
				if [[ ${header:i+1:1} == '"' ]]; then
					field+='"'
					((i++))
				else
					quoted=
				fi
			else
				field+=$c
			fi
		elif [[ $c == '"' ]]; then
			quoted=1
			was_quoted=1
		elif [[ $c == "$d" ]]; then
			if [[ -z $was_quoted ]]; then
				# unquoted cells are trimmed of spaces and tabs
				while [[ $field == [\ $'\t']* && ${field:0:1} != "$d" ]]; do field=${field:1}; done
				while [[ $field == *[\ $'\t'] && ${field: -1} != "$d" ]]; do field=${field%?}; done
			fi
			[[ -n $field ]] && _sv_calc_cols+=("$field")
			field= was_quoted=
		else
			field+=$c
		fi
	done
}

# Adds to COMPREPLY each of the words after "--" that starts with $1.
_sv_calc_add()
{
	local p=$1 w
	shift
	[[ $1 == -- ]] && shift
	for w; do
		[[ $w == "$p"* ]] && COMPREPLY+=("$w")
	done
}

# Adds to COMPREPLY the directories, and the files whose names end in one
# of the extensions $2... (in any case; any file when none is given), that
# start with $1 (dequoted).
_sv_calc_files()
{
	local cur=$1 f t e ok
	shift
	_sv_calc_filenames=1
	while IFS= read -r f; do
		[[ -n $f ]] || continue
		t=$f
		[[ $t == '~/'* ]] && t=$HOME${t#\~}
		ok=$(($# == 0))
		[[ -d $t ]] && ok=1
		for e; do
			[[ ${f,,} == *."$e" ]] && ok=1
		done
		((ok)) && COMPREPLY+=("$f")
	done < <(compgen -f -- "$cur")
}

# Adds to COMPREPLY the --by lists that complete $1: its part after the
# last comma completed with a key or a column name of the input (any case),
# leaving out what the list already names.
_sv_calc_by()
{
	local val=$1 done_part= last=$1 c k seen
	if [[ $val == *,* ]]; then
		done_part=${val%,*},
		last=${val##*,}
	fi
	local -a have=() cand=()
	IFS=, read -r -a have <<< "${done_part%,}"
	_sv_calc_cols=()
	[[ -n $_sv_calc_csv ]] && _sv_calc_columns "$_sv_calc_csv" "$_sv_calc_delim"
	local nocase=
	shopt -q nocasematch && nocase=1
	shopt -s nocasematch
	if [[ $last == column:* ]]; then
		for c in "${_sv_calc_cols[@]}"; do
			cand+=("column:$c")
		done
	else
		cand=("${_sv_calc_keys[@]}")
		for c in "${_sv_calc_cols[@]}"; do
			seen=
			for k in "${cand[@]}"; do
				[[ $k == "$c" ]] && seen=1 && break
			done
			[[ -n $seen ]] || cand+=("$c")
		done
	fi
	for c in "${cand[@]}"; do
		[[ $c == *,* || $c != "$last"* ]] && continue # a comma cannot be named
		seen=
		for k in "${have[@]}"; do
			[[ $k == "$c" || column:$k == "$c" || $k == "column:$c" ]] && seen=1 && break
		done
		[[ -n $seen ]] || COMPREPLY+=("$done_part$c")
	done
	[[ -n $nocase ]] || shopt -u nocasematch
	_sv_calc_escape=1 # "Activity Type"
}

# Adds to COMPREPLY the values of option $1 (its long name) that start
# with $2 (dequoted).
_sv_calc_value()
{
	local val=$2
	case $1 in
	--format) _sv_calc_add "$val" -- "${_sv_calc_formats[@]}" ;;
	--by) _sv_calc_by "$val" ;;
	--encoding) _sv_calc_add "$val" -- "${_sv_calc_encodings[@]}" ;;
	--delimiter)
		_sv_calc_add "$val" -- "${_sv_calc_delimiters[@]}"
		_sv_calc_escape=1 # ;
		;;
	--proxies | --compare | --profile) _sv_calc_files "$val" json ;;
	--targets | --spend-file | --inputs) _sv_calc_files "$val" csv ;;
	--output | --rejects) _sv_calc_files "$val" ;;
	esac
	# other values (dates, numbers, names): nothing to offer
}

_sv_calc()
{
	local IFS=$' \t\n'
	# what the helpers share (bash scopes are dynamic)
	local _sv_calc_filenames='' _sv_calc_escape='' _sv_calc_csv='' _sv_calc_delim=''
	local -a _sv_calc_opts=() _sv_calc_optlong=() _sv_calc_optarg=() _sv_calc_formats=()
	local -a _sv_calc_cols=()
	COMPREPLY=()

	# The words, with the ones bash split at = and : joined again
	# ("--by=column:Site" is one word, not five).  cword: the one at the
	# cursor, cur: its part before the cursor; keep: how much of it bash
	# will not replace (up to its last = or :), as it completes only what
	# follows.
	local -a cw=("${COMP_WORDS[@]}") words=()
	while ((${#cw[@]} <= COMP_CWORD)); do cw+=(""); done
	local i w raw keep= glued cword=0 cur
	local line=${COMP_LINE-} at=0 point=${COMP_POINT--1} after_cursor=
	[[ -n $line ]] || point=-1
	for ((i = 0; i < ${#cw[@]}; i++)); do
		raw=${cw[i]}
		glued=
		if ((i > 0)) && [[ $raw =~ ^[=:]+$ || ${cw[i - 1]} =~ ^[=:]+$ ]]; then
			glued=1
		fi
		if ((point >= 0)); then
			# with the command line at hand: glued only with no blank
			# between; and where the word starts
			if [[ $line == [[:space:]]* ]]; then
				glued=
				w=${line%%[![:space:]]*}
				line=${line:${#w}}
				((at += ${#w}))
			fi
			if [[ $line == "$raw"* ]]; then
				if ((i == COMP_CWORD && point - at < ${#raw})); then
					# the cursor is inside the word, or before it: then the
					# word is one more on the line, after the cursor
					((point <= at)) && after_cursor=$raw
					raw=${raw:0:point - at < 0 ? 0 : point - at}
				fi
				line=${line:${#cw[i]}}
				((at += ${#cw[i]}))
			else
				point=-1 # lost: bash's words are not the line
			fi
		fi
		if [[ -n $glued ]]; then
			words[${#words[@]} - 1]+=$raw
		else
			words+=("$raw")
		fi
		if ((i == COMP_CWORD)); then
			cword=$((${#words[@]} - 1))
			if [[ $raw =~ ^[=:]+$ ]]; then
				keep=${words[cword]}
			else
				keep=${words[cword]%"$raw"}
			fi
			cur=${words[cword]}
		fi
	done
	words[cword]=$cur # not what is glued to it after the cursor

	# the binary being completed, and its command
	_sv_calc_dequote "${words[0]}" tilde
	local prog=$REPLY
	[[ $prog == */* && -x $prog ]] || prog=sv-calc
	local -a cmd=()
	local first=1
	if ((cword > 1)); then
		case ${words[1]} in
		check | trace | merge | proxies | profile)
			cmd=("${words[1]}")
			first=2
			if [[ ${words[1]} == proxies && $cword -gt 2 && ${words[2]} =~ ^(import|show|check)$ ]]; then
				cmd+=("${words[2]}")
				first=3
			fi
			if [[ ${words[1]} == profile && $cword -gt 2 && ${words[2]} == guess ]]; then
				cmd+=("${words[2]}")
				first=3
			fi
			;;
		esac
	fi
	_sv_calc_read_help "$prog" "${cmd[@]}"

	# Along the whole line: the first input file (for --by's column names),
	# the delimiter if one is given; and up to the cursor: whether "--"
	# has ended the options, and the option whose value is at the cursor.
	local ended= want= after= REPLY2 _sv_calc_short_prefix
	for ((i = first; i < ${#words[@]}; i++)); do
		((i == cword)) && { after=$want; want=; continue; }
		w=${words[i]}
		if [[ -n $want ]]; then
			if [[ $want == --delimiter ]]; then
				_sv_calc_dequote "$w"
				_sv_calc_delim=$REPLY
			fi
			want=
		elif [[ -z $ended && $w == -- ]]; then
			((i < cword)) && ended=1
		elif [[ -z $ended && $w == --?*=* ]]; then
			if [[ ${w%%=*} == --delimiter ]]; then
				_sv_calc_dequote "${w#*=}"
				_sv_calc_delim=$REPLY
			fi
		elif [[ -z $ended && $w == --?* ]]; then
			_sv_calc_find_opt "$w" && [[ -n ${_sv_calc_optarg[REPLY]} ]] && want=${_sv_calc_optlong[REPLY]}
		elif [[ -z $ended && $w == -?* ]]; then
			if _sv_calc_short_value "$w"; then
				if [[ -z $REPLY2 ]]; then
					want=$REPLY
				elif [[ $REPLY == --delimiter ]]; then
					_sv_calc_dequote "$REPLY2"
					_sv_calc_delim=$REPLY
				fi
			fi
		elif [[ -z $_sv_calc_csv && $w != - ]]; then
			_sv_calc_dequote "$w" tilde
			[[ -f $REPLY && -r $REPLY ]] && _sv_calc_csv=$REPLY
		fi
	done
	want=$after
	if [[ -z $_sv_calc_csv && -z $ended && -n $after_cursor && $after_cursor != -* ]]; then
		_sv_calc_dequote "$after_cursor" tilde
		[[ -f $REPLY && -r $REPLY ]] && _sv_calc_csv=$REPLY
	fi
	case $_sv_calc_delim in
	[tT][aA][bB] | '\t') _sv_calc_delim=$'\t' ;;
	?) ;;
	*) _sv_calc_delim= ;;
	esac

	_sv_calc_dequote "$cur"
	local dcur=$REPLY
	_sv_calc_dequote "$keep"
	local dkeep=$REPLY j

	if [[ -n $want ]]; then
		# the value of the option before: "-f <Tab>", "--by <Tab>"
		_sv_calc_value "$want" "$dcur"
	elif [[ -z $ended && $dcur == --?*=* ]]; then
		# "--format=cs<Tab>"
		if _sv_calc_find_opt "${dcur%%=*}"; then
			_sv_calc_value "${_sv_calc_optlong[REPLY]}" "${dcur#*=}"
			for j in "${!COMPREPLY[@]}"; do
				COMPREPLY[j]=${dcur%%=*}=${COMPREPLY[j]}
			done
		fi
	elif [[ -z $ended && $dcur == -[!-]?* ]] && _sv_calc_short_value "$dcur" && [[ -n $REPLY2 ]]; then
		# "-fcs<Tab>"
		local p=$_sv_calc_short_prefix
		_sv_calc_value "$REPLY" "$REPLY2"
		for j in "${!COMPREPLY[@]}"; do
			COMPREPLY[j]=$p${COMPREPLY[j]}
		done
	elif [[ -z $ended && $dcur == -* ]]; then
		_sv_calc_add "$dcur" -- "${_sv_calc_opts[@]}"
	elif ((cword == 1)); then
		_sv_calc_add "$dcur" -- check trace proxies merge profile
		_sv_calc_files "$dcur" csv tsv
	elif [[ ${cmd[*]} == proxies ]]; then
		((cword == 2)) && _sv_calc_add "$dcur" -- import show check
	elif [[ ${cmd[*]} == profile ]]; then
		((cword == 2)) && _sv_calc_add "$dcur" -- guess
	elif [[ ${cmd[*]} == merge ]]; then
		_sv_calc_files "$dcur" json
	else
		_sv_calc_files "$dcur" csv tsv
	fi

	# bash replaces only the part after the last = or : it split the word at
	if [[ -n $dkeep ]]; then
		for j in "${!COMPREPLY[@]}"; do
			COMPREPLY[j]=${COMPREPLY[j]#"$dkeep"}
		done
	fi
	# Files: bash quotes them, and marks directories with a /.  Other
	# values: quoted here (bash would quote the commas of a --by list too),
	# unless the word is in quotes, which bash then closes.
	if [[ -n $_sv_calc_filenames ]]; then
		compopt -o filenames 2>/dev/null
	elif [[ -n $_sv_calc_escape && ${cw[COMP_CWORD]} != [\'\"]* ]]; then
		for j in "${!COMPREPLY[@]}"; do
			_sv_calc_escape "${COMPREPLY[j]}"
			COMPREPLY[j]=$REPLY
		done
	fi
	return 0
}

complete -F _sv_calc sv-calc
