SELECT `a``b`, "c\"d;", 'e\'f' FROM t # comment ; 
; SELECT 1 -- x
;