import { createRoot } from 'react-dom/client';
import '../common/base.css';
import '../common/table.css';
import './flame.css';
import { App } from './app';

createRoot(document.getElementById('root')!).render(<App />);
