# scikit-learn's t-SNE on a data set, timed, for the side-by-side benchmark (NeuroCore.Embeddings.Benchmarks).
# Usage: python3 sklearn_tsne.py digits|fashion10k DIMS
# Prints one JSON line: seconds (fit only, wall), cpu (fit only, all threads), trustworthiness (k=10), knn accuracy (k=10, leave-one-out).
import json, sys, time
import numpy as np
from sklearn.manifold import TSNE, trustworthiness
from sklearn.neighbors import KNeighborsClassifier
from sklearn.model_selection import cross_val_score

name, dims = sys.argv[1], int(sys.argv[2])
if name == 'digits':
    from sklearn.datasets import load_digits
    X, y = load_digits(return_X_y=True)
else:
    raise SystemExit('unknown data set ' + name)
X = X.astype(np.float32)
t = time.perf_counter()
c = time.process_time()
Y = TSNE(n_components=dims, init='pca', learning_rate='auto', perplexity=30, random_state=0).fit_transform(X)
seconds = time.perf_counter() - t
cpu = time.process_time() - c  # all threads of the process
trust = trustworthiness(X, Y, n_neighbors=10)
knn = KNeighborsClassifier(n_neighbors=11).fit(Y, y)
# Leave-one-out: the nearest neighbour of a training point is itself, so ask for 11 and drop the first.
idx = knn.kneighbors(Y, n_neighbors=11, return_distance=False)[:, 1:]
pred = np.array([np.bincount(y[r], minlength=10).argmax() for r in idx])
print(json.dumps({'seconds': seconds, 'cpu': cpu, 'trustworthiness': float(trust), 'knn': float((pred == y).mean()), 'n': int(len(X)), 'dims': dims}))
