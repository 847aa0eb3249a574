import json,re,sys
from packaging.version import Version, InvalidVersion
def semkey(v):
    v=v.strip()
    m=re.match(r'^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?$',v)
    if m: v='%s.%s.%s%s'%(m[1],m[2] or 0,m[3] or 0,('-%s.%s'%(m[4],m[5])) if m[4] else '')
    v=v.lstrip('v'); v=v.split('+')[0]
    core,_,pre=v.partition('-')
    nums=[int(x) for x in core.split('.')]
    if pre=='' : pk=(1,)
    else:
        ids=[]
        for p in pre.split('.'):
            ids.append((0,int(p),'') if p.isdigit() else (1,0,p))
        pk=(0,tuple(ids))
    return (tuple(nums),pk)
def cmpf(eco):
    if eco=='PyPI': return lambda a,b:(Version(a)>Version(b))-(Version(a)<Version(b))
    if eco=='Maven':
        def k(v):
            v=re.sub(r'[.-](final|release|ga)$','',v,flags=re.I)
            try: return Version(v)
            except InvalidVersion: raise
        return lambda a,b:(k(a)>k(b))-(k(a)<k(b))
    return lambda a,b:(semkey(a)>semkey(b))-(semkey(a)<semkey(b))
def norm(eco,n): return re.sub(r'[-_.]+','-',n.lower()) if eco=='PyPI' else n
def affected(r,cmp,v):
    ev=[]
    for e in r['events']:
        (k,x),=e.items(); ev.append((k,x))
    def key(e):
        k,x=e
        if k=='introduced' and x=='0': return (0,None)
        return (1,x)
    import functools
    def c(a,b):
        ka,kb=key(a),key(b)
        if ka[0]!=kb[0]: return ka[0]-kb[0]
        if ka[0]==0: return 0
        r=cmp(a[1],b[1])
        if r: return r
        return (a[0]!='introduced')-(b[0]!='introduced')
    ev.sort(key=functools.cmp_to_key(c))
    aff=False
    for k,x in ev:
        if k=='introduced' and (x=='0' or cmp(v,x)>=0): aff=True
        elif k=='fixed' and cmp(v,x)>=0: aff=False
        elif k=='last_affected' and cmp(v,x)>0: aff=False
        elif k=='limit' and cmp(v,x)>=0: aff=False
    return aff
pkgs=json.loads(sys.argv[2])
out=[]
for line in open(sys.argv[1]):
    r=json.loads(line)
    if r.get('withdrawn'): continue
    for a in r['affected']:
        eco=a['package']['ecosystem']
        for (pe,pn,pv) in pkgs:
            if eco!=pe or norm(eco,a['package']['name'])!=norm(eco,pn): continue
            cmp=cmpf(eco); hit=False
            if pv in a.get('versions',[]): hit=True
            for rg in a.get('ranges',[]):
                if rg['type']=='GIT': continue
                c2=cmp if rg['type']=='ECOSYSTEM' else cmpf('semver')
                try:
                    if affected(rg,c2,pv): hit=True
                except Exception as ex: print('ERR',r['id'],pn,ex,file=sys.stderr)
            if hit: out.append('%s %s %s'%(r['id'],pn,pv))
print('\n'.join(sorted(set(out))))
